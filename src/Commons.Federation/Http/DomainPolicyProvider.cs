using Commons.Core.Federation;

namespace Commons.Federation.Http;

/// <summary>
/// The node's current <see cref="DomainPolicy"/>: an immutable snapshot built from the configuration and the stored
/// runtime rules, swapped whole when an administrator changes them (<see cref="Reload"/>). Every decision (inbox,
/// deliveries, fetches) reads <see cref="Current"/>, so a change applies to the next request without a restart.
/// </summary>
public sealed class DomainPolicyProvider
{
    private readonly FederationOptions _options;
    private readonly IDomainRuleStore? _store;
    private readonly Lock _gate = new();
    private volatile Snapshot _current;

    private sealed record Snapshot(EffectiveDomainRules Rules, DomainPolicy Policy);

    /// <summary>Rules from <paramref name="options"/> plus, when given, those stored in <paramref name="store"/>.</summary>
    public DomainPolicyProvider(FederationOptions options, IDomainRuleStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
        _current = Build();
    }

    public DomainPolicy Current => _current.Policy;

    /// <summary>The rules behind <see cref="Current"/>, each entry with its origin.</summary>
    public EffectiveDomainRules Rules => _current.Rules;

    public FederationOptions Options => _options;

    /// <summary>Rebuilds the snapshot from the store; called after every change of the stored rules.</summary>
    public void Reload()
    {
        lock (_gate) _current = Build();
    }

    private Snapshot Build()
    {
        var rules = EffectiveDomainRules.Merge(_options, _store?.Get() ?? DomainRuleSettings.Empty);
        return new Snapshot(rules, rules.ToPolicy());
    }
}
