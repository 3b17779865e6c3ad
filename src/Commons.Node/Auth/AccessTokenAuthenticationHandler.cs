using System.Security.Claims;
using System.Text.Encodings.Web;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Commons.Node.Auth;

/// <summary>Authenticates personal access tokens (<c>Authorization: Bearer cnpat_…</c>) against their stored hashes.</summary>
public sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } presented) return Task.FromResult(AuthenticateResult.NoResult());
        if (tokens.Authenticate(presented) is not var (token, member))
            return Task.FromResult(AuthenticateResult.Fail("invalid, expired or revoked access token"));
        var scopes = member.IsAdmin ? token.Scopes : token.Scopes & ~TokenScopes.Admin;
        var identity = new ClaimsIdentity([
            new Claim(ClaimNames.Subject, member.Username),
            new Claim(ClaimNames.Scope, string.Join(' ', TokenScopeNames.Names(scopes))),
            new Claim("token", token.Id),
        ], Scheme.Name, ClaimNames.Subject, null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>A request that sent no bearer token is told the scheme to use (RFC 6750 §3), as the JWT handler tells it.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (BearerToken(Request) is null) Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.WWWAuthenticate, "Bearer");
        return base.HandleChallengeAsync(properties);
    }

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
