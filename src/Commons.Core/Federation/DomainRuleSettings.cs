namespace Commons.Core.Federation;

/// <summary>
/// The domain rules an administrator edits at runtime, kept in the node's store. They add to the configuration
/// (<c>Federation:BlockedDomains</c>, <c>Federation:AllowedDomains</c>), which always applies and cannot be removed here;
/// <see cref="AllowListOnly"/>, once set, replaces the configured <c>Federation:Mode</c>. Entries are stored normalised
/// (<see cref="DomainNames.TryNormalizeEntry"/>).
/// </summary>
public sealed record DomainRuleSettings
{
    /// <summary>True: federate only with allowed domains; false: with every domain not blocked; null: as configured.</summary>
    public bool? AllowListOnly { get; init; }

    /// <summary>Domains blocked at runtime (besides the configured ones); subdomains included.</summary>
    public IReadOnlyList<string> Blocked { get; init; } = [];

    /// <summary>Domains allowed at runtime (besides the configured ones); subdomains included.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The administrator who last changed them.</summary>
    public string? UpdatedBy { get; init; }

    public static readonly DomainRuleSettings Empty = new();
}

/// <summary>The one stored <see cref="DomainRuleSettings"/> document of the node.</summary>
public interface IDomainRuleStore
{
    /// <summary>The stored rules, or <see cref="DomainRuleSettings.Empty"/> when none were ever saved.</summary>
    DomainRuleSettings Get();

    void Save(DomainRuleSettings settings);
}
