using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Core.Services;

/// <summary>
/// Invitations by one-time link: an administrator creates one for a role; whoever holds the link chooses a username
/// and a password, once, within seven days. Account rules are <see cref="MemberService"/>'s.
/// </summary>
public sealed class InvitationService(IInvitationStore invitations, IMemberStore memberStore, MemberService members, TimeProvider clock)
{
    public const string TokenPrefix = "cninv";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Creates an invitation; the token is returned only now.</summary>
    public (Invitation Invitation, string Token) Create(Caller caller, MemberRole role)
    {
        DatasetAccess.RequireAdmin(caller);
        if (!Enum.IsDefined(role)) throw ValidationException.For("role", "member or admin");
        var (id, token, hash) = TokenSecrets.New(TokenPrefix);
        var now = clock.GetUtcNow();
        var invitation = new Invitation { Id = id, TokenHash = hash, Role = role, CreatedBy = caller.Username, CreatedAt = now, ExpiresAt = now + Lifetime };
        invitations.Add(invitation);
        return (invitation, token);
    }

    /// <summary>Invitations not yet used, revoked or expired, oldest first (administrators).</summary>
    public IReadOnlyList<Invitation> ListOpen(Caller caller)
    {
        DatasetAccess.RequireAdmin(caller);
        var now = clock.GetUtcNow();
        return invitations.List().Where(i => i.StateAt(now) == InvitationState.Open).OrderBy(i => i.CreatedAt).ToList();
    }

    public Invitation Revoke(Caller caller, string id)
    {
        DatasetAccess.RequireAdmin(caller);
        var invitation = invitations.Find(id) ?? throw new NotFoundException($"no invitation '{id}'");
        if (invitation.StateAt(clock.GetUtcNow()) != InvitationState.Open) return invitation;
        var revoked = invitation with { RevokedAt = clock.GetUtcNow() };
        invitations.Update(revoked);
        return revoked;
    }

    /// <summary>The invitation a presented token opens, and its state; null for a token that opens nothing.</summary>
    public (Invitation Invitation, InvitationState State)? Look(string? token)
    {
        if (token is null || !TokenSecrets.TryParse(token, TokenPrefix, out var id)) return null;
        var invitation = invitations.Find(id);
        if (invitation is null || !TokenSecrets.Matches(token, invitation.TokenHash)) return null;
        return (invitation, invitation.StateAt(clock.GetUtcNow()));
    }

    /// <summary>Creates the member the invitation was for and uses the invitation up, or changes nothing.</summary>
    public Member Accept(string token, string username, string? displayName, string password)
    {
        var found = Look(token) ?? throw new NotFoundException("no such invitation");
        if (found.State != InvitationState.Open) throw new InvitationClosedException(found.State);
        // The account's rules first, so a bad username or password leaves the invitation usable.
        username = Usernames.Normalize(username);
        PasswordHasher.CheckStrength(password);
        if (memberStore.Find(username) is not null) throw new ConflictException($"the username '{username}' is taken");
        if (!invitations.TryConsume(found.Invitation.Id, username, clock.GetUtcNow()))
            throw new InvitationClosedException(Look(token)?.State ?? InvitationState.Used);
        try
        {
            return members.Register(username, displayName, password, found.Invitation.Role);
        }
        catch
        {
            invitations.Release(found.Invitation.Id);
            throw;
        }
    }
}

/// <summary>The invitation exists but can no longer be used.</summary>
public sealed class InvitationClosedException(InvitationState state)
    : CommonsException(ProblemCodes.InvitationClosed, "Gone", $"this invitation is {state.ToString().ToLowerInvariant()}")
{
    public InvitationState State { get; } = state;
}
