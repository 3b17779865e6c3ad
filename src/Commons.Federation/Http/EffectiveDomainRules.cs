using Commons.Core.Federation;

namespace Commons.Federation.Http;

/// <summary>Where a domain rule comes from: the configuration (always applies, not editable at runtime) or an administrator.</summary>
public enum DomainRuleSource
{
    Configuration,
    Runtime,
}

/// <summary>One entry of the block or allow list, normalised, with its readable form and its origin.</summary>
public sealed record DomainRuleEntry(string Domain, string Display, DomainRuleSource Source);

/// <summary>
/// The rules in force: the configuration merged with what administrators stored. Configured entries always apply (a
/// domain both configured and stored shows once, as configured); the stored mode, when set, replaces the configured one.
/// </summary>
public sealed record EffectiveDomainRules(
    FederationMode Mode, DomainRuleSource ModeSource, FederationMode ConfiguredMode,
    IReadOnlyList<DomainRuleEntry> Blocked, IReadOnlyList<DomainRuleEntry> Allowed)
{
    /// <summary>Merges <paramref name="options"/> with <paramref name="stored"/>; throws <see cref="ArgumentException"/> on an entry that is not a domain.</summary>
    public static EffectiveDomainRules Merge(FederationOptions options, DomainRuleSettings stored)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stored);
        var mode = stored.AllowListOnly is { } allowListOnly ? (allowListOnly ? FederationMode.AllowList : FederationMode.Open) : options.Mode;
        return new(mode, stored.AllowListOnly is null ? DomainRuleSource.Configuration : DomainRuleSource.Runtime, options.Mode,
            Entries(options.BlockedDomains, stored.Blocked, "Federation:BlockedDomains"),
            Entries(options.AllowedDomains, stored.Allowed, "Federation:AllowedDomains"));
    }

    public DomainPolicy ToPolicy() => new(Mode, Allowed.Select(e => e.Domain), Blocked.Select(e => e.Domain));

    private static List<DomainRuleEntry> Entries(IEnumerable<string> configured, IEnumerable<string> stored, string setting)
    {
        var entries = new List<DomainRuleEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (text, source) in configured.Select(c => (c, DomainRuleSource.Configuration)).Concat(stored.Select(s => (s, DomainRuleSource.Runtime))))
        {
            if (!DomainNames.TryNormalizeEntry(text, out var name))
                throw new ArgumentException(source == DomainRuleSource.Configuration
                    ? $"{setting}: '{text}' is not a domain name."
                    : $"the stored domain rules hold '{text}', which is not a domain name (run 'commons-node check').");
            if (seen.Add(name)) entries.Add(new DomainRuleEntry(name, DomainNames.ToDisplay(name), source));
        }
        return entries.OrderBy(e => e.Domain, StringComparer.Ordinal).ToList();
    }
}
