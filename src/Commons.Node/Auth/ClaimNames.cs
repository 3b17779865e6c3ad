namespace Commons.Node.Auth;

internal static class ClaimNames
{
    public const string Subject = "sub";
    public const string Stamp = "stamp";
    public const string Scope = "scope";
    public const string Issuer = "commons-node";
    public const string Audience = "commons-node-api";
}

internal static class AuthSchemes
{
    /// <summary>The scheme every /api endpoint uses: it forwards to JWT or to personal access tokens by the token's shape.</summary>
    public const string Api = "CommonsApi";
    public const string Jwt = "Jwt";
    public const string AccessToken = "AccessToken";
}
