namespace Commons.Core.Members;

/// <summary>
/// A one-time invitation to become a member with a given role. The link's token is shown once to the administrator who
/// created it; only its SHA-256 hash is kept. It can be used once, until it expires or is revoked.
/// </summary>
public sealed record Invitation
{
    /// <summary>Public handle (hex), part of the token; used to list and revoke.</summary>
    public required string Id { get; init; }
    public required string TokenHash { get; init; }
    public MemberRole Role { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    public string? UsedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public InvitationState StateAt(DateTimeOffset now) =>
        UsedAt is not null ? InvitationState.Used
        : RevokedAt is not null ? InvitationState.Revoked
        : ExpiresAt <= now ? InvitationState.Expired
        : InvitationState.Open;
}

public enum InvitationState { Open, Used, Revoked, Expired }

public interface IInvitationStore
{
    void Add(Invitation invitation);
    Invitation? Find(string id);
    IReadOnlyList<Invitation> List();
    void Update(Invitation invitation);
    /// <summary>Marks an open invitation used, atomically; false when it was used, revoked or expired meanwhile.</summary>
    bool TryConsume(string id, string username, DateTimeOffset at);
    /// <summary>Gives a consumption back (the member could not be created after all).</summary>
    void Release(string id);
}
