using Commons.Core.Errors;

namespace Commons.Core.Tokens;

public static class TokenScopeNames
{
    /// <summary>Parses "read", "read,write", "admin"… Write implies read; admin implies both.</summary>
    public static TokenScopes Parse(IEnumerable<string> names, string field = "scopes")
    {
        var scopes = TokenScopes.None;
        foreach (var raw in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            scopes |= raw.ToLowerInvariant() switch
            {
                "read" => TokenScopes.Read,
                "write" => TokenScopes.Read | TokenScopes.Write,
                "admin" => TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin,
                _ => throw ValidationException.For(field, $"unknown scope '{raw}': use read, write or admin"),
            };
        }
        if (scopes == TokenScopes.None) throw ValidationException.For(field, "at least one scope: read, write or admin");
        return scopes;
    }

    public static string[] Names(TokenScopes scopes) =>
        new[] { (TokenScopes.Read, "read"), (TokenScopes.Write, "write"), (TokenScopes.Admin, "admin") }
            .Where(s => scopes.HasFlag(s.Item1)).Select(s => s.Item2).ToArray();
}
