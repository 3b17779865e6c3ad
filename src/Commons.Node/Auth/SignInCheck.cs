using Commons.Core.Members;

namespace Commons.Node.Auth;

/// <summary>What a sign-in attempt came to: the member on success, or how long to wait, or a plain refusal.</summary>
public readonly record struct SignInAttempt(Member? Member, TimeSpan? RetryAfter)
{
    public bool Throttled => RetryAfter is not null;
}

/// <summary>
/// The one rule for a username and password, used by <c>POST /api/auth/login</c> and the <c>/signin</c> page, so the two
/// cannot drift: the throttle is asked first, the password is hashed even for an unknown name (timing does not tell
/// which names exist), a disabled account is refused like a wrong password, and the outcome is counted.
/// </summary>
public sealed class SignInCheck(IMemberStore members, PasswordHasher hasher, LoginThrottle throttle)
{
    /// <param name="address">The client's address as the connection sees it (after trusted forwarded headers).</param>
    public SignInAttempt Attempt(string? username, string? password, string? address)
    {
        var name = (username ?? "").Trim().ToLowerInvariant();
        if (throttle.RetryAfter(name, address) is { } wait) return new(null, wait);
        var member = members.Find(name);
        var ok = hasher.Verify(password ?? "", member?.PasswordHash ?? hasher.DummyHash);
        if (member is null || !ok || member.Disabled)
        {
            throttle.Failed(name, address);
            return new(null, null);
        }
        throttle.Succeeded(name, address);
        return new(member, null);
    }
}
