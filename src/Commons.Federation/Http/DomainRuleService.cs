using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;

namespace Commons.Federation.Http;

/// <summary>Which list a domain rule is on.</summary>
public enum DomainList
{
    Blocked,
    Allowed,
}

/// <summary>Why an entry cannot be added to a list.</summary>
public enum DomainEntryProblem
{
    Empty,
    NotADomain,
    AlreadyListed,
}

/// <summary>
/// An administrator's changes to the federation mode and the block and allow lists, for the API and the web interface
/// alike: entries are checked exactly as <see cref="DomainPolicy"/> reads them, stored in <see cref="IDomainRuleStore"/>,
/// and the node's policy is swapped at once (<see cref="DomainPolicyProvider.Reload"/>). Configured entries always apply
/// and cannot be removed here; runtime entries can.
/// </summary>
public sealed class DomainRuleService(IDomainRuleStore store, DomainPolicyProvider provider, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>Whether the caller may see and change the rules (pages ask before showing the way there).</summary>
    public static bool MayAdminister(Caller caller) => caller.CanAdminister;

    /// <summary>Refuses a caller that may not change the rules: administrators with the admin scope only.</summary>
    public static void RequireAdministrator(Caller caller) => DatasetAccess.RequireAdmin(caller);

    public EffectiveDomainRules Rules(Caller caller)
    {
        RequireAdministrator(caller);
        return provider.Rules;
    }

    /// <summary>The problem with adding <paramref name="entry"/> to <paramref name="list"/>, or null; <paramref name="normalized"/> is the stored form.</summary>
    public static DomainEntryProblem? Check(string? entry, DomainList list, EffectiveDomainRules rules, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(entry)) return DomainEntryProblem.Empty;
        if (!DomainNames.TryNormalizeEntry(entry, out normalized)) return DomainEntryProblem.NotADomain;
        var name = normalized;
        return Of(rules, list).Any(e => e.Domain == name) ? DomainEntryProblem.AlreadyListed : null;
    }

    /// <summary>Adds one entry; returns its normalised form. Throws <see cref="ValidationException"/> (field <c>domain</c>).</summary>
    public string Add(Caller caller, DomainList list, string? entry)
    {
        RequireAdministrator(caller);
        lock (_gate)
        {
            if (Check(entry, list, provider.Rules, out var name) is { } problem)
                throw ValidationException.For("domain", Describe(problem, entry));
            var stored = store.Get();
            Save(caller, list == DomainList.Blocked
                ? stored with { Blocked = [.. stored.Blocked, name] }
                : stored with { Allowed = [.. stored.Allowed, name] });
            return name;
        }
    }

    /// <summary>Removes an entry added at runtime. A configured entry is a <see cref="ConflictException"/>; an unknown one <see cref="NotFoundException"/>.</summary>
    public void Remove(Caller caller, DomainList list, string domain)
    {
        RequireAdministrator(caller);
        lock (_gate)
        {
            var name = DomainNames.TryNormalizeEntry(domain, out var n) ? n : domain;
            var entry = Of(provider.Rules, list).FirstOrDefault(e => e.Domain == name)
                ?? throw new NotFoundException($"'{domain}' is not on the {Word(list)} list");
            if (entry.Source == DomainRuleSource.Configuration)
                throw new ConflictException($"'{domain}' comes from the configuration (Federation:{(list == DomainList.Blocked ? "BlockedDomains" : "AllowedDomains")}); change it there");
            var stored = store.Get();
            Save(caller, list == DomainList.Blocked
                ? stored with { Blocked = stored.Blocked.Where(d => d != name).ToList() }
                : stored with { Allowed = stored.Allowed.Where(d => d != name).ToList() });
        }
    }

    /// <summary>Sets the mode; null goes back to the configured <c>Federation:Mode</c>.</summary>
    public void SetMode(Caller caller, FederationMode? mode)
    {
        RequireAdministrator(caller);
        lock (_gate) Save(caller, store.Get() with { AllowListOnly = mode is null ? null : mode == FederationMode.AllowList });
    }

    /// <summary>
    /// Replaces the runtime rules whole (the API's PUT): the mode (null: as configured) and the runtime entries of both
    /// lists. Entries already in the configuration are accepted and not stored twice; duplicates collapse. Every bad entry
    /// is reported (<c>blockedDomains[i]</c>, <c>allowedDomains[i]</c>) and nothing is stored then.
    /// </summary>
    public void Replace(Caller caller, FederationMode? mode, IReadOnlyList<string?> blocked, IReadOnlyList<string?> allowed)
    {
        RequireAdministrator(caller);
        var errors = new List<FieldError>();
        var blockedNames = Normalize(blocked, "blockedDomains", errors);
        var allowedNames = Normalize(allowed, "allowedDomains", errors);
        if (errors.Count > 0) throw new ValidationException(errors);
        lock (_gate)
        {
            var rules = provider.Rules;
            bool Configured(DomainList list, string name) => Of(rules, list).Any(e => e.Domain == name && e.Source == DomainRuleSource.Configuration);
            Save(caller, new DomainRuleSettings
            {
                AllowListOnly = mode is null ? null : mode == FederationMode.AllowList,
                Blocked = blockedNames.Where(n => !Configured(DomainList.Blocked, n)).ToList(),
                Allowed = allowedNames.Where(n => !Configured(DomainList.Allowed, n)).ToList(),
            });
        }
    }

    public static string Describe(DomainEntryProblem problem, string? entry) => problem switch
    {
        DomainEntryProblem.Empty => "enter a domain name",
        DomainEntryProblem.NotADomain => $"'{entry}' is not a domain name (write it as example.org, *.example.org or an IP address)",
        _ => $"'{entry}' is already on the list",
    };

    private static List<string> Normalize(IReadOnlyList<string?> entries, string field, List<FieldError> errors)
    {
        var names = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(entries[i])) errors.Add(new FieldError($"{field}[{i}]", Describe(DomainEntryProblem.Empty, entries[i])));
            else if (!DomainNames.TryNormalizeEntry(entries[i], out var name)) errors.Add(new FieldError($"{field}[{i}]", Describe(DomainEntryProblem.NotADomain, entries[i])));
            else if (!names.Contains(name)) names.Add(name);
        }
        return names;
    }

    private void Save(Caller caller, DomainRuleSettings settings)
    {
        store.Save(settings with { UpdatedAt = clock.GetUtcNow(), UpdatedBy = caller.Username });
        provider.Reload();
    }

    private static IReadOnlyList<DomainRuleEntry> Of(EffectiveDomainRules rules, DomainList list) => list == DomainList.Blocked ? rules.Blocked : rules.Allowed;

    private static string Word(DomainList list) => list == DomainList.Blocked ? "blocked" : "allowed";
}
