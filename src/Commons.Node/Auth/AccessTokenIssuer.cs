using System.Security.Claims;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Tokens;
using Commons.Node.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Commons.Node.Auth;

/// <summary>Issues the short-lived JWT and the single-use refresh token that a login or a refresh returns.</summary>
public sealed class AccessTokenIssuer(INodeStore nodes, ITokenStore tokens, IMemberStore members, IOptions<NodeOptions> options, TimeProvider clock)
{
    public sealed record Issued(string AccessToken, int ExpiresIn, string RefreshToken);

    public SymmetricSecurityKey SigningKey => new(nodes.Get()?.TokenSigningKey ?? throw new InvalidOperationException("the node is not initialised"));

    public Issued Issue(Member member)
    {
        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(options.Value.Security.AccessTokenMinutes);
        var scopes = member.IsAdmin ? "read write admin" : "read write";
        var jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ClaimNames.Issuer,
            Audience = ClaimNames.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Subject = new ClaimsIdentity([
                new Claim(ClaimNames.Subject, member.Username),
                new Claim(ClaimNames.Stamp, member.SecurityStamp),
                new Claim(ClaimNames.Scope, scopes),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
        var (id, secret, hash) = TokenSecrets.New(TokenSecrets.RefreshPrefix);
        tokens.AddRefresh(new RefreshToken
        {
            Id = id, Username = member.Username, SecretHash = hash, SecurityStamp = member.SecurityStamp,
            ExpiresAt = now.AddDays(options.Value.Security.RefreshTokenDays),
        });
        return new Issued(jwt, (int)lifetime.TotalSeconds, secret);
    }

    /// <summary>Trades a refresh token for a new pair. A reused refresh token signs the member out everywhere (theft).</summary>
    public Issued Refresh(string presented)
    {
        var invalid = ValidationException.For("refreshToken", "the refresh token is invalid or expired; sign in again");
        if (!TokenSecrets.TryParse(presented, TokenSecrets.RefreshPrefix, out var id)) throw invalid;
        var stored = tokens.FindRefresh(id);
        if (stored is null || !TokenSecrets.Matches(presented, stored.SecretHash)) throw invalid;
        var now = clock.GetUtcNow();
        if (stored.ExpiresAt <= now) throw invalid;
        if (!tokens.TryUseRefresh(id, now))
        {
            tokens.RevokeRefreshTokensOf(stored.Username);
            throw invalid;
        }
        var member = members.Find(stored.Username);
        if (member is null || member.Disabled || member.SecurityStamp != stored.SecurityStamp) throw invalid;
        return Issue(member);
    }
}
