namespace Commons.Core.Members;

public enum MemberRole { Member = 0, Admin = 1 }

/// <summary>A person of the collective who can sign in to this node.</summary>
public sealed record Member
{
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    /// <summary>Self-describing hash (algorithm, parameters, salt, hash). Never logged, never serialised to the API.</summary>
    public required string PasswordHash { get; init; }
    public MemberRole Role { get; init; }
    public bool Disabled { get; init; }
    /// <summary>Changes whenever the password is reset or the member is disabled; tokens issued under another stamp stop working.</summary>
    public required string SecurityStamp { get; init; }
    public bool MustChangePassword { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? PreferredLanguage { get; init; }

    public bool IsAdmin => Role == MemberRole.Admin;
}
