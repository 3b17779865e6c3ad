using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Services;

/// <summary>
/// Core's <see cref="IGovernance"/>: a setting is governed while the module is on and a committee this node knows
/// governs it — one it coordinates, or one it follows and is a member of. A change then needs an adopted decision of
/// such a committee (its own, or in a replica of a followed decisions dataset whose proof verified on receipt and that lists this node among
/// the members)
/// whose signed tally authorises that setting for that scope, or for every scope (<c>*</c>). The history is kept in
/// the module's documents.
/// </summary>
public sealed class CommitteeGovernance(IModuleStore modules, CommitteeDecisionFinder decisions, ISubscriptionStore subscriptions, IReplicaStore replicas,
    IObjectProofs proofs, TimeProvider clock, IModuleSwitches? switches = null) : IGovernance
{
    public bool Governs(string setting)
    {
        if (switches is not null && !switches.IsOn(CommitteeBook.Module)) return false;
        if (modules.Read(CommitteeBook.Module, d => new CommitteeBook(d).AllCommittees()).Any(c => c.Governs.Contains(setting))) return true;
        var me = proofs.ActorOf(null);
        foreach (var sub in subscriptions.List().Where(s => s.Kind == CommitteeKind.KindName && s.State == SubscriptionState.Accepted))
            foreach (var r in replicas.List(sub.Id, null, 500).Where(r => !r.Deleted))
            {
                try
                {
                    var terms = CommitteeTerms.Of(r.RecordId, r.Data);
                    if (terms.Member(me) is not null && terms.Governs.Contains(setting)) return true;
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException) { }
            }
        return false;
    }

    public GovernedChange Check(string setting, string scope, string? decisionRef, string changedBy)
    {
        var now = clock.GetUtcNow();
        if (!Governs(setting)) return new GovernedChange(setting, scope, changedBy, now, null);
        if (string.IsNullOrWhiteSpace(decisionRef))
            throw new RuleViolationException(GovernanceCodes.DecisionRequired, "Decision required",
                $"{setting} is governed by the steering committee: name the adopted decision that authorises this change", "decision");
        var me = proofs.ActorOf(null);
        var found = decisions.All().Where(d => d.Id == decisionRef && (!d.Replica || (d.ProofVerified && ListsMember(d.Data, me)))).ToList();
        var adopted = found.Where(d => d.Data.TryGetProperty("outcome", out var o) && o.GetString() == Outcomes.Adopted).ToList();
        if (adopted.Count == 0)
            throw new RuleViolationException(GovernanceCodes.DecisionNotAdopted, "Decision not adopted",
                found.Count == 0 ? $"no decision '{decisionRef}' of a committee of this node" : $"decision '{decisionRef}' was not adopted", "decision");
        // What a decision authorises is read from its signed tally, not from the fields beside it.
        var authorising = adopted.FirstOrDefault(d => d.Data.TryGetProperty("tally", out var t) && Authorisation.Of(t) is { } a && a.Covers(setting, scope));
        if (authorising is null)
            throw new RuleViolationException(GovernanceCodes.DecisionMismatch, "Decision authorises something else",
                $"decision '{decisionRef}' does not authorise changing {setting} for {scope}", "decision");
        return new GovernedChange(setting, scope, changedBy, now, decisionRef, TitleOf(authorising.Data));
    }

    public void Record(GovernedChange change) => modules.Write(CommitteeBook.Module, d =>
    {
        var entry = new JsonObject
        {
            ["setting"] = change.Setting, ["scope"] = change.Scope, ["changedBy"] = change.ChangedBy,
            ["at"] = change.At.ToString("O", CultureInfo.InvariantCulture), ["decision"] = change.DecisionRef, ["title"] = change.DecisionTitle,
        };
        new CommitteeBook(d).PutChange(change.Setting, change.Scope, change.At, entry);
        return 0;
    });

    public IReadOnlyList<GovernedChange> History(string setting, string scope, int limit) =>
        modules.Read(CommitteeBook.Module, d => new CommitteeBook(d).Changes(setting, scope, Math.Clamp(limit, 1, 1000)))
            .Select(c => new GovernedChange(c.GetProperty("setting").GetString()!, c.GetProperty("scope").GetString()!, c.GetProperty("changedBy").GetString()!,
                DateTimeOffset.Parse(c.GetProperty("at").GetString()!, CultureInfo.InvariantCulture), Text(c, "decision"), Text(c, "title")))
            .ToList();

    private static bool ListsMember(JsonElement decision, string actor) =>
        decision.TryGetProperty("tally", out var t) && t.TryGetProperty("members", out var m) && CommitteeTerms.MembersOf(m).Any(x => x.Actor == actor);

    private static string? TitleOf(JsonElement decision) =>
        decision.TryGetProperty("title", out var t) ? new[] { "en", "fr", "nl" }.Select(l => t.TryGetProperty(l, out var s) ? s.GetString() : null).FirstOrDefault(s => s is not null) : null;

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
