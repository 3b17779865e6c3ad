using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Core.Services;

/// <summary>
/// Member accounts: creation, roles, disabling and password changes, and the one place that decides who may: an
/// administrator (with the admin scope) manages every account; a member reads and changes their own (a read-only token
/// changes nothing). A non-administrator learns nothing about other accounts (forbidden, never "not found").
/// Passwords are only ever hashed.
/// </summary>
public sealed partial class MemberService(IMemberStore members, ITokenStore tokens, PasswordHasher hasher, TimeProvider clock)
{
    /// <summary>Whether the caller may manage other members' accounts (pages ask before showing the way there).</summary>
    public static bool MayManage(Caller caller) => caller.CanAdminister;

    /// <summary>Refuses a caller that may not manage other members' accounts (endpoints ask before reading a body).</summary>
    public static void RequireManager(Caller caller) => DatasetAccess.RequireAdmin(caller);

    /// <summary>Refuses a caller that may change no account, not even its own: a read-only token.</summary>
    public static void RequireChange(Caller caller) => DatasetAccess.RequireWrite(caller);

    public IReadOnlyList<Member> List(Caller caller)
    {
        RequireManager(caller);
        return members.List().OrderBy(m => m.Username, StringComparer.Ordinal).ToList();
    }

    /// <summary>A member's account: one's own, or anyone's for an administrator.</summary>
    public Member Get(Caller caller, string username)
    {
        if (caller.Username != username) RequireManager(caller);
        return Find(username);
    }

    /// <summary>An administrator adds a member.</summary>
    public Member Add(Caller caller, string username, string? displayName, string password, MemberRole role, bool mustChangePassword = false)
    {
        RequireManager(caller);
        return Register(username, displayName, password, role, mustChangePassword);
    }

    /// <summary>
    /// Creates an account where nobody is signed in to ask: the first administrator (at start or at setup) and a
    /// member accepting an invitation (its checks are <see cref="InvitationService"/>'s). Members add members through
    /// <see cref="Add"/>.
    /// </summary>
    public Member Register(string username, string? displayName, string password, MemberRole role, bool mustChangePassword = false)
    {
        username = Usernames.Normalize(username);
        PasswordHasher.CheckStrength(password);
        var member = new Member
        {
            Username = username,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim(),
            PasswordHash = hasher.Hash(password),
            Role = role,
            SecurityStamp = NewStamp(),
            MustChangePassword = mustChangePassword,
            CreatedAt = clock.GetUtcNow(),
        };
        if (member.DisplayName.Length > 100) throw ValidationException.For("displayName", "at most 100 characters");
        members.Add(member);
        return member;
    }

    public Member Update(Caller caller, string username, string? displayName, MemberRole? role, bool? disabled)
    {
        // Rights first: a non-administrator learns nothing about other usernames (no 404 versus 403).
        RequireChange(caller);
        var self = caller.Username == username;
        if (!self || role is not null || disabled is not null) RequireManager(caller);
        var member = Find(username);
        if (self && (disabled == true || role == MemberRole.Member) && members.List().Count(m => m.IsAdmin && !m.Disabled) <= 1 && member.IsAdmin)
            throw new ConflictException("the last enabled administrator cannot be disabled or demoted");
        var updated = member with
        {
            DisplayName = displayName is null ? member.DisplayName : CheckDisplayName(displayName),
            Role = role ?? member.Role,
            Disabled = disabled ?? member.Disabled,
            SecurityStamp = disabled == true || (role is { } r && r != member.Role) ? NewStamp() : member.SecurityStamp,
        };
        if (updated.IsAdmin != member.IsAdmin || updated.Disabled != member.Disabled)
            EnsureAnAdminRemains(member, updated);
        members.Update(updated);
        if (updated.SecurityStamp != member.SecurityStamp) tokens.RevokeRefreshTokensOf(username);
        return updated;
    }

    /// <summary>An administrator sets a member's password (to be changed at next sign-in when <paramref name="mustChange"/>).</summary>
    public Member ResetPassword(Caller caller, string username, string newPassword, bool mustChange)
    {
        RequireManager(caller);
        return SetPassword(username, newPassword, mustChange);
    }

    /// <summary>Sets a new password and signs the member out everywhere (new security stamp).</summary>
    private Member SetPassword(string username, string newPassword, bool mustChange = false)
    {
        var member = Find(username);
        PasswordHasher.CheckStrength(newPassword);
        var updated = member with { PasswordHash = hasher.Hash(newPassword), SecurityStamp = NewStamp(), MustChangePassword = mustChange };
        members.Update(updated);
        tokens.RevokeRefreshTokensOf(username);
        return updated;
    }

    /// <summary>The caller changes their own password, proving the current one; every other session ends.</summary>
    public Member ChangeOwnPassword(Caller caller, string currentPassword, string newPassword)
    {
        RequireChange(caller);
        var member = Find(caller.Username);
        if (!hasher.Verify(currentPassword, member.PasswordHash))
            throw ValidationException.For("currentPassword", "the current password is wrong");
        return SetPassword(member.Username, newPassword);
    }

    /// <summary>The language a member reads the interface in (a BCP 47 tag such as <c>fr</c>); null: the browser's choice.</summary>
    public Member SetPreferredLanguage(string username, string? language)
    {
        var member = Find(username);
        language = string.IsNullOrWhiteSpace(language) ? null : language.Trim();
        if (language is not null && !LanguageTag().IsMatch(language))
            throw ValidationException.For("preferredLanguage", "a language tag such as 'fr' or 'nl-BE'");
        if (member.PreferredLanguage == language) return member;
        var updated = member with { PreferredLanguage = language };
        members.Update(updated);
        return updated;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();

    private Member Find(string username) => members.Find(username) ?? throw new NotFoundException($"no member '{username}'");

    private void EnsureAnAdminRemains(Member before, Member after)
    {
        var admins = members.List().Where(m => m.IsAdmin && !m.Disabled).Select(m => m.Username).ToHashSet();
        if (after.IsAdmin && !after.Disabled) admins.Add(after.Username); else admins.Remove(before.Username);
        if (admins.Count == 0) throw new ConflictException("the last enabled administrator cannot be disabled or demoted");
    }

    private static string CheckDisplayName(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100) throw ValidationException.For("displayName", "1 to 100 characters");
        return name;
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
