using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Modules.Committee.Services;
using Commons.Platform;

namespace Commons.Web.Tests;

/// <summary>
/// The committee on a test node (compages), coordinated here with this node and another as members, governing the
/// credit limits: an open proposal "charter" with hidden results, a closed one "closed" with its decision, and the copy
/// of another coordinator's proposals dataset followed with one open proposal "r000".
/// </summary>
public static class CommitteeSeed
{
    public static readonly LocalizedText ProposalTitle = new("Adopter la charte", "Het handvest aannemen", "Adopt the charter");

    /// <summary>The slugs of the committee's three datasets, once <see cref="Open"/> has run on a node (per node, unique).</summary>
    public sealed record Slugs(string Committees, string Proposals, string Decisions);

    public static (string Proposals, string Open, string Followed) Open(UiNode node) => OpenWithSlugs(node).Result;

    public static ((string Proposals, string Open, string Followed) Result, Slugs Slugs) OpenWithSlugs(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "committee", true);
        var datasets = node.Service<DatasetService>();
        var slugs = new Slugs(node.Unique("committee-"), node.Unique("proposals-"), node.Unique("decisions-"));
        foreach (var (slug, kind) in new[] { (slugs.Committees, "committee.committee"), (slugs.Proposals, "committee.proposals"), (slugs.Decisions, "committee.decisions") })
            datasets.Create(UiNode.Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, slug, slug), Kind = kind });
        var actor = node.Service<IObjectProofs>().ActorOf(null);
        var records = node.Service<RecordService>();
        records.Create(UiNode.Admin, slugs.Committees, "network", Json($$"""
            {"name":{"fr":"Comité du réseau","nl":"Comité van het netwerk","en":"Network committee"},
             "members":[{"actor":"{{actor}}"},{"actor":"https://velo.example/actor","weight":2}],
             "proposals":"{{slugs.Proposals}}","decisions":"{{slugs.Decisions}}","governs":["credit.limits"]}
            """));
        var now = DateTimeOffset.UtcNow;
        records.Create(UiNode.Admin, slugs.Proposals, "charter", Json(Proposal(now.AddHours(-1), now.AddDays(7))));
        records.Create(UiNode.Admin, slugs.Proposals, "closed", Json(Proposal(now.AddDays(-8), now.AddDays(-1))));
        node.Service<CommitteeService>().Close(UiNode.Admin, slugs.Proposals, "closed");
        var s = node.AddSubscription("Propositions", SubscriptionState.Accepted, "coordination.example") with { Kind = "committee.proposals" };
        node.Service<ISubscriptionStore>().Upsert(s);
        node.AddReplicas(s, 1, _ => Proposal(now.AddHours(-1), now.AddDays(3)));
        return ((slugs.Proposals, "charter", s.Id), slugs);
    }

    public static string Proposal(DateTimeOffset opens, DateTimeOffset closes) => $$"""
        {"title":{"fr":"{{ProposalTitle.Fr}}","nl":"{{ProposalTitle.Nl}}","en":"{{ProposalTitle.En}}"},
         "text":{"fr":"La charte du réseau.","nl":"Het handvest van het netwerk.","en":"The network’s charter."},
         "opens":"{{opens.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","closes":"{{closes.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","quorum":0.5,"rule":"simple",
         "hiddenResults":true,"authorises":{"setting":"credit.limits","scope":"*"} }
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
