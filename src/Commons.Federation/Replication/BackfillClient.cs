using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Replication;

/// <summary>
/// Our side of the backfill: for each accepted subscription not yet caught up, fetch the next page of the origin's
/// outbox after our checkpoint (signed GET, MessagePack batch preferred), apply every activity through the same
/// <see cref="ReplicaApplier"/> as live deliveries (so the two merge by revision), then move the checkpoint to the
/// page's end. A crash, restart or network cut resumes from the checkpoint: never from zero, never with a gap.
/// A round that makes no progress backs off on the delivery <see cref="RetrySchedule"/> (the owner may only be down);
/// one that can never progress stops the subscription with its reason (see <see cref="BackfillFailure"/>).
/// </summary>
public sealed class BackfillClient(
    ISubscriptionStore subscriptions, RemoteActorFetcher actors, SignedHttpClient http, SigningIdentity signer,
    ReplicaApplier applier, RetrySchedule schedule, TimeProvider clock, ILogger<BackfillClient> log)
{
    /// <summary>Records per page: 150 keeps a JSON page (about 5 KB a record) under the 1 MiB response cap.</summary>
    public int PageSize { get; init; } = 150;

    /// <summary>Malformed pages in a row after which the feed is taken for one that will never be a Commons backfill feed.</summary>
    public int StopAfterMalformed { get; init; } = 10;

    /// <summary>Fetches and applies one page for each subscription that needs it and is not backing off; returns how many pages were applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var pages = 0;
        var now = clock.GetUtcNow();
        foreach (var subscription in subscriptions.List().Where(s => s is { State: SubscriptionState.Accepted, BackfillDone: false }))
        {
            if (subscription.BackfillRetryAt is { } retryAt && retryAt > now) continue;
            try
            {
                if (await PageAsync(subscription, ct)) pages++;
            }
            catch (Exception e) when (BackfillFailure.Classify(e, ct) is { } failure)
            {
                NoProgress(subscription, failure);
            }
        }
        return pages;
    }

    /// <summary>The owner spoke to us (a signed delivery arrived): a backfill backing off is tried again at once.</summary>
    public bool BringForward(string datasetActor)
    {
        var s = subscriptions.FindByActor(datasetActor);
        if (s is not { State: SubscriptionState.Accepted, BackfillDone: false, BackfillRetryAt: not null }) return false;
        subscriptions.Upsert(s with { BackfillRetryAt = null });
        return true;
    }

    private async Task<bool> PageAsync(Subscription subscription, CancellationToken ct)
    {
        var actor = await actors.FetchAsync(new Uri(subscription.DatasetActor), ct);
        if (DatasetActorRecognition.WhyNot(actor.Document) is { } notADataset) throw new BackfillStopException(notADataset);
        var outbox = actor.Outbox ?? throw new BackfillStopException("the dataset actor has no outbox");
        var url = new Uri($"{outbox}?page={subscription.BackfillAfter}&limit={PageSize}");
        var response = await http.GetAsync(url, signer, $"{BackfillBatch.MediaType}, {SignedHttpClient.ActivityAccept}", ct);
        if (!response.IsSuccessStatusCode) throw new BackfillHttpException((int)response.StatusCode, response.RetryAfterUntil(clock.GetUtcNow()), clock.GetUtcNow());
        var (items, last, next) = response.ContentType?.StartsWith(BackfillBatch.MediaType, StringComparison.OrdinalIgnoreCase) == true
            ? BackfillBatch.Decode(response.Body)
            : BackfillBatch.DecodeJson(response.Body);
        // A page that says more follows but ends where it began would be asked for again and again.
        if (next is not null && last <= subscription.BackfillAfter)
            throw new FormatException($"the page after {subscription.BackfillAfter} does not advance (commons:last {last})");

        foreach (var item in items)
        {
            var outcome = await applier.ApplyAsync(subscription, item, ct);
            // A refused item (a proof that does not verify yet, say after a key rotation) stops the page: the checkpoint
            // stays, so the page is asked for again later rather than skipped.
            if (outcome.StartsWith("refused", StringComparison.Ordinal))
                throw new FormatException($"an item of the page after {subscription.BackfillAfter} was refused ({outcome})");
        }

        // Only the backfill fields move, and only while the subscription still stands (a Reject may have ended it meanwhile).
        var current = Current(subscription);
        if (current is null) return false;
        var done = next is null;
        subscriptions.Upsert(current with
        {
            BackfillAfter = Math.Max(current.BackfillAfter, last), BackfillDone = done, BackfillDoneAt = done ? clock.GetUtcNow() : null,
            BackfillFailures = 0, BackfillRetryAt = null, BackfillError = null,
        });
        return true;
    }

    private void NoProgress(Subscription subscription, BackfillFailure failure)
    {
        var current = Current(subscription);
        if (current is null) return;
        var now = clock.GetUtcNow();
        var failures = current.BackfillFailures + 1;
        if (failure.Permanent || (failure.Malformed && failures >= StopAfterMalformed))
        {
            var reason = $"backfill stopped: {failure.Message}";
            subscriptions.Upsert(current with
            {
                State = SubscriptionState.Stopped, ChangedAt = now, Reason = reason,
                BackfillFailures = failures, BackfillRetryAt = null, BackfillError = failure.Message,
            });
            log.LogWarning("Backfill of {Actor} stopped at {After} after {Failures} rounds without progress: {Error}",
                current.DatasetActor, current.BackfillAfter, failures, failure.Message);
            return;
        }
        var retryAt = now + schedule.Delay(failures, failure.RetryAfter, Random.Shared);
        subscriptions.Upsert(current with { BackfillFailures = failures, BackfillRetryAt = retryAt, BackfillError = failure.Message });
        // One line per back-off step, not one per worker round.
        log.LogInformation("Backfill of {Actor} paused at {After} ({Failures} rounds without progress), next try at {RetryAt:u}: {Error}",
            current.DatasetActor, current.BackfillAfter, failures, retryAt, failure.Message);
    }

    /// <summary>The subscription as stored now, if it still stands as the same accepted follow.</summary>
    private Subscription? Current(Subscription subscription) =>
        subscriptions.Find(subscription.Id) is { State: SubscriptionState.Accepted } current && current.FollowActivityId == subscription.FollowActivityId
            ? current
            : null;
}
