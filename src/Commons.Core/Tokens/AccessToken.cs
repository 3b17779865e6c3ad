namespace Commons.Core.Tokens;

[Flags]
public enum TokenScopes { None = 0, Read = 1, Write = 2, Admin = 4 }

/// <summary>A personal access token for scripts. Only the SHA-256 of the secret is stored.</summary>
public sealed record AccessToken
{
    /// <summary>Public identifier, also the first part of the secret (<c>cn_{Id}_{secret}</c>) so lookups need no scan.</summary>
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string Name { get; init; }
    public required string SecretHash { get; init; }
    public TokenScopes Scopes { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A refresh token issued at login; single use (each refresh rotates it). Only its hash is stored.</summary>
public sealed record RefreshToken
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string SecretHash { get; init; }
    public required string SecurityStamp { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
}
