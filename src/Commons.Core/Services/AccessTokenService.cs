using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Core.Services;

/// <summary>
/// Personal access tokens: the secret is shown once at creation; only its hash is kept. Who may do what is decided
/// here: a member creates, lists and revokes their own tokens, an administrator (admin scope) anyone's; a read-only
/// token creates and revokes none; a token never gets a scope the credential creating it lacks.
/// </summary>
public sealed class AccessTokenService(ITokenStore tokens, IMemberStore members, TimeProvider clock)
{
    public const int MaxTokensPerMember = 50;

    /// <summary>Refuses a caller that may not create or revoke tokens (endpoints ask before reading a body).</summary>
    public static void RequireChange(Caller caller) => DatasetAccess.RequireWrite(caller);

    /// <summary>Creates a token for <paramref name="username"/>: the caller's own, or any member's for an administrator (the CLI's operator).</summary>
    public (AccessToken Token, string Secret) Create(Caller caller, string username, string name, TokenScopes scopes, DateTimeOffset? expiresAt)
    {
        RequireChange(caller);
        if (username != caller.Username) DatasetAccess.RequireAdmin(caller);
        if ((scopes & ~caller.Scopes) != 0) throw ValidationException.For("scopes", "a token cannot have scopes the current credential lacks");
        var member = members.Find(username) ?? throw new NotFoundException($"no member '{username}'");
        if (scopes.HasFlag(TokenScopes.Admin) && !member.IsAdmin)
            throw ValidationException.For("scopes", "only administrators can create tokens with the admin scope");
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100) throw ValidationException.For("name", "a token name of 1 to 100 characters");
        var now = clock.GetUtcNow();
        if (expiresAt is { } e && e <= now) throw ValidationException.For("expiresAt", "must be in the future");
        if (tokens.ListFor(username).Count(t => t.IsUsable(now)) >= MaxTokensPerMember)
            throw new ConflictException($"at most {MaxTokensPerMember} active tokens per member; revoke one first");
        var (id, secret, hash) = TokenSecrets.New(TokenSecrets.AccessPrefix);
        var token = new AccessToken { Id = id, Username = username, Name = name, SecretHash = hash, Scopes = scopes, CreatedAt = now, ExpiresAt = expiresAt };
        tokens.Add(token);
        return (token, secret);
    }

    public IReadOnlyList<AccessToken> List(Caller caller, bool all)
    {
        if (all) DatasetAccess.RequireAdmin(caller);
        return (all ? tokens.ListAll() : tokens.ListFor(caller.Username)).OrderBy(t => t.CreatedAt).ToList();
    }

    /// <summary>Revokes one of the caller's tokens (admins: anyone's); someone else's token does not exist for a member.</summary>
    public AccessToken Revoke(Caller caller, string id)
    {
        RequireChange(caller);
        var token = tokens.Find(id);
        if (token is null || (token.Username != caller.Username && !caller.CanAdminister))
            throw new NotFoundException($"no token '{id}'");
        if (token.RevokedAt is not null) return token;
        var revoked = token with { RevokedAt = clock.GetUtcNow() };
        tokens.Update(revoked);
        return revoked;
    }

    /// <summary>The token and its member for a presented secret, if both are usable.</summary>
    public (AccessToken Token, Member Member)? Authenticate(string presented)
    {
        if (!TokenSecrets.TryParse(presented, TokenSecrets.AccessPrefix, out var id)) return null;
        var token = tokens.Find(id);
        var now = clock.GetUtcNow();
        if (token is null || !token.IsUsable(now) || !TokenSecrets.Matches(presented, token.SecretHash)) return null;
        var member = members.Find(token.Username);
        if (member is null || member.Disabled) return null;
        return (token, member);
    }
}
