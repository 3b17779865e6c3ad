using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Services;

/// <summary>A decision found on this node: its data, the actor of the decisions dataset that signed its tally, whether it is a replica, and whether its proof verified when it was received.</summary>
public sealed record FoundDecision(string Id, JsonElement Data, string DecisionsActor, bool Replica, bool ProofVerified = true)
{
    /// <summary>The node's page that shows it: the record in our dataset, or the replica in the subscription.</summary>
    public string Path { get; init; } = "";

    /// <summary>Our decisions dataset's slug; null for a replica.</summary>
    public string? Dataset { get; init; }

    /// <summary>The subscription that holds the replica; null for our own.</summary>
    public string? Subscription { get; init; }
}

/// <summary>
/// Finds a decision by its id (the proposal's): first in this node's own decisions datasets, then in the replicas of
/// the decisions datasets this node follows (a member node's copy of the coordinator's decisions).
/// </summary>
public sealed class CommitteeDecisionFinder(IDatasetStore datasets, IRecordStore records, ISubscriptionStore subscriptions, IReplicaStore replicas,
    IObjectProofs proofs)
{
    /// <param name="admit">Called with a local decisions dataset before its decision is read (the caller's access check); null: the operator's.</param>
    public FoundDecision? Find(string id, Action<Dataset>? admit = null)
    {
        foreach (var local in datasets.List().Where(d => d.Kind == DecisionsKind.KindName).OrderBy(d => d.Key))
        {
            if (records.Get(local.Key, id) is not { Deleted: false } r || BallotPages.IsPage(r.Data)) continue;
            admit?.Invoke(local);
            return new FoundDecision(id, r.Data, proofs.ActorOf(local.Slug), false) { Path = RecordPath(local.Slug, id), Dataset = local.Slug };
        }
        foreach (var sub in Followed())
            if (replicas.Get(sub.Id, id) is { Deleted: false } replica && !BallotPages.IsPage(replica.Data))
                return new FoundDecision(id, replica.Data, sub.DatasetActor, true, replica.ProofVerified) { Path = ReplicaPath(sub.Id, id), Subscription = sub.Id };
        return null;
    }

    /// <summary>Every decision this node holds, its own and replicated, for the governed settings' check.</summary>
    public IEnumerable<FoundDecision> All()
    {
        foreach (var local in datasets.List().Where(d => d.Kind == DecisionsKind.KindName).OrderBy(d => d.Key))
        {
            string? cursor = null;
            do
            {
                var page = records.Query(local.Key, new RecordQuery { Limit = 500, Cursor = cursor });
                foreach (var r in page.Items.Where(r => !r.Deleted && !BallotPages.IsPage(r.Data))) yield return new FoundDecision(r.Id, r.Data, proofs.ActorOf(local.Slug), false) { Path = RecordPath(local.Slug, r.Id), Dataset = local.Slug };
                cursor = page.NextCursor;
            } while (cursor is not null);
        }
        foreach (var sub in Followed())
        {
            string? after = null;
            while (true)
            {
                var page = replicas.List(sub.Id, after, 500);
                foreach (var r in page.Where(r => !r.Deleted && !BallotPages.IsPage(r.Data)))
                    yield return new FoundDecision(r.RecordId, r.Data, sub.DatasetActor, true, r.ProofVerified) { Path = ReplicaPath(sub.Id, r.RecordId), Subscription = sub.Id };
                if (page.Count < 500) break;
                after = page[^1].RecordId;
            }
        }
    }

    /// <summary>A page of <paramref name="decision"/>'s ballots (<see cref="BallotPages"/>), from the same dataset or the same replica; null when absent.</summary>
    public JsonElement? Page(FoundDecision decision, string id)
    {
        if (decision.Subscription is { } sub)
            return replicas.Get(sub, id) is { Deleted: false } replica && BallotPages.IsPage(replica.Data) ? replica.Data : null;
        return decision.Dataset is { } slug && datasets.Find(slug) is { } local && records.Get(local.Key, id) is { Deleted: false } r && BallotPages.IsPage(r.Data) ? r.Data : null;
    }

    private static string RecordPath(string slug, string id) => $"/datasets/{Uri.EscapeDataString(slug)}/records/{Uri.EscapeDataString(id)}";
    private static string ReplicaPath(string subscription, string id) => $"/subscriptions/{Uri.EscapeDataString(subscription)}/records/{Uri.EscapeDataString(id)}";

    private IEnumerable<Subscription> Followed() =>
        subscriptions.List().Where(s => s.Kind == DecisionsKind.KindName && s.State == SubscriptionState.Accepted).OrderBy(s => s.Id, StringComparer.Ordinal);
}
