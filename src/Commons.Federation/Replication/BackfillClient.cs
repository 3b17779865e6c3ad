using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Replication;

/// <summary>
/// Our side of the backfill: for each accepted subscription not yet caught up, fetch the next page of the origin's
/// outbox after our checkpoint (signed GET, MessagePack batch preferred), apply every activity through the same
/// <see cref="ReplicaApplier"/> as live deliveries (so the two merge by revision), then move the checkpoint to the
/// page's end. A crash, restart or network cut resumes from the checkpoint: never from zero, never with a gap.
/// </summary>
public sealed class BackfillClient(
    ISubscriptionStore subscriptions, RemoteActorFetcher actors, SignedHttpClient http, SigningIdentity signer,
    ReplicaApplier applier, TimeProvider clock, ILogger<BackfillClient> log)
{
    /// <summary>Records per page: 150 keeps a JSON page (about 5 KB a record) under the 1 MiB response cap.</summary>
    public int PageSize { get; init; } = 150;

    /// <summary>Fetches and applies one page for each subscription that needs it; returns how many pages were applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var pages = 0;
        foreach (var subscription in subscriptions.List().Where(s => s is { State: SubscriptionState.Accepted, BackfillDone: false }))
        {
            try
            {
                if (await PageAsync(subscription, ct)) pages++;
            }
            catch (Exception e) when (e is FederationHttpException or RemoteActorException or HttpRequestException or FormatException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                log.LogInformation("Backfill of {Actor} paused at {After}: {Error}", subscription.DatasetActor, subscription.BackfillAfter, e.Message);
            }
        }
        return pages;
    }

    private async Task<bool> PageAsync(Subscription subscription, CancellationToken ct)
    {
        var actor = await actors.FetchAsync(new Uri(subscription.DatasetActor), ct);
        var outbox = actor.Outbox ?? throw new FormatException("the dataset actor has no outbox");
        var url = new Uri($"{outbox}?page={subscription.BackfillAfter}&limit={PageSize}");
        var response = await http.GetAsync(url, signer, $"{BackfillBatch.MediaType}, {SignedHttpClient.ActivityAccept}", ct);
        if (!response.IsSuccessStatusCode) throw new FormatException($"the outbox answered {(int)response.StatusCode}");
        var (items, last, next) = response.ContentType?.StartsWith(BackfillBatch.MediaType, StringComparison.OrdinalIgnoreCase) == true
            ? BackfillBatch.Decode(response.Body)
            : BackfillBatch.DecodeJson(response.Body);

        foreach (var item in items)
        {
            var outcome = await applier.ApplyAsync(subscription, item, ct);
            // A refused item (a proof that does not verify yet, say after a key rotation) stops the page: the checkpoint
            // stays, so the page is asked for again later rather than skipped.
            if (outcome.StartsWith("refused", StringComparison.Ordinal))
                throw new FormatException($"an item of the page after {subscription.BackfillAfter} was refused ({outcome})");
        }

        // Only the backfill fields move, and only while the subscription still stands (a Reject may have ended it meanwhile).
        var current = subscriptions.Find(subscription.Id);
        if (current is not { State: SubscriptionState.Accepted } || current.FollowActivityId != subscription.FollowActivityId) return false;
        var done = next is null;
        subscriptions.Upsert(current with { BackfillAfter = Math.Max(current.BackfillAfter, last), BackfillDone = done, BackfillDoneAt = done ? clock.GetUtcNow() : null });
        return true;
    }
}
