using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;

namespace Commons.Federation.Replication;

/// <summary>
/// <c>replica verify</c>: compares the origin's digest of the dataset with our replica's. A mismatch restarts the
/// backfill from the beginning (revisions make the replay harmless), which brings back what was missed and applies
/// the deletes that were missed.
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
        if (!equal)
            subscriptions.Upsert(subscription with { BackfillAfter = 0, BackfillDone = false, BackfillDoneAt = null });
        return new Outcome(local, remote, equal, !equal);
    }
}
