using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;

namespace Commons.Federation.Replication;

/// <summary>
/// <c>replica verify</c>: compares the origin's digest of the dataset with our replica's. A mismatch (once the backfill
/// is done) empties the replica and restarts the backfill from the beginning, which brings back what was missed, applies
/// the deletes that were missed and drops what the origin does not have.
/// </summary>
public sealed class ReplicaCheck(ISubscriptionStore subscriptions, IReplicaStore replicas, SignedHttpClient http, SigningIdentity signer)
{
    public sealed record Outcome(DatasetDigest.Value Local, DatasetDigest.Value Remote, bool Equal, bool ResyncStarted);

    public async Task<Outcome> VerifyAsync(string subscriptionId, CancellationToken ct)
    {
        var subscription = subscriptions.Find(subscriptionId) ?? throw new NotFoundException($"no subscription '{subscriptionId}'");
        if (subscription.State != SubscriptionState.Accepted) throw new ConflictException("only an accepted subscription has a replica to verify");
        var response = await http.GetAsync(new Uri(subscription.DatasetActor.TrimEnd('/') + "/digest"), signer, "application/json", ct);
        if (!response.IsSuccessStatusCode) throw new ConflictException($"the origin answered {(int)response.StatusCode} to the digest request");
        using var doc = JsonDocument.Parse(response.Body);
        var remote = new DatasetDigest.Value(
            AsJson.Integer(doc.RootElement, ActivityStreamsContext.Count) ?? -1,
            AsJson.String(doc.RootElement, ActivityStreamsContext.Digest) ?? "");
        var local = DatasetDigest.Of(replicas.Revisions(subscription.Id));
        var equal = local == remote;
        // While a backfill runs the replica is incomplete by definition, and resetting the checkpoint under a page being
        // applied would let that page move it forward again: the running backfill brings the replica up to date.
        if (equal || !subscription.BackfillDone) return new Outcome(local, remote, equal, false);
        // Replaying the origin's changes only applies what is newer than what we hold, so a replica ahead of its origin
        // (a record the origin no longer has, a revision it never made — e.g. after the origin restored a backup) would
        // stay diverged: the resync starts from an empty replica.
        replicas.Purge(subscription.Id);
        subscriptions.Upsert(subscription with { BackfillAfter = 0, BackfillDone = false, BackfillDoneAt = null, BackfillFailures = 0, BackfillRetryAt = null, BackfillError = null });
        return new Outcome(local, remote, false, true);
    }
}
