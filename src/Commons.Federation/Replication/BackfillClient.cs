using System.Collections.Concurrent;
using System.Text.Json;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Replication;

/// <summary>
/// Our side of the backfill: for each accepted subscription not yet caught up, fetch the next page of the origin's
/// outbox after our checkpoint (signed GET, MessagePack batch preferred), check every activity as live deliveries are
/// checked (<see cref="ReplicaApplier"/>, proofs on all cores; the two merge by revision), then store the page and move
/// the checkpoint to its end in one transaction; meanwhile the next page is already asked for (the origin builds and signs
/// it while we check this one), and used only if it starts where the stored checkpoint now is. A crash, restart or
/// network cut resumes from the checkpoint: never from zero, never with a gap, never with half a page.
/// A round that makes no progress backs off on the delivery <see cref="RetrySchedule"/> (the owner may only be down);
/// one that can never progress stops the subscription with its reason (see <see cref="BackfillFailure"/>).
/// </summary>
public sealed class BackfillClient(
    ISubscriptionStore subscriptions, RemoteActorFetcher actors, SignedHttpClient http, SigningIdentity signer,
    ReplicaApplier applier, RetrySchedule schedule, TimeProvider clock, ILogger<BackfillClient> log, RecordLimits? limits = null)
{
    /// <summary>Wire bytes of one item besides its record body (the activity, the record object's other fields, two proofs).</summary>
    public const int ItemEnvelopeBytes = 16 * 1024;

    /// <summary>Largest backfill response read, whatever the record limit: a page whose records are that large is asked for again in halves.</summary>
    public const long MaxPageResponseBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, int> _reducedPageSizes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Prefetch> _prefetched = new(StringComparer.Ordinal);
    private readonly int _maxRecordBytes = (limits ?? new RecordLimits()).MaxRecordBytes;

    /// <summary>Records per page asked for: the origin's largest (a page is one transaction here; fewer, larger pages go faster).</summary>
    public int PageSize { get; init; } = BackfillFeed.MaxPageSize;

    /// <summary>Malformed pages in a row after which the feed is taken for one that will never be a Commons backfill feed.</summary>
    public int StopAfterMalformed { get; init; } = 10;

    /// <summary>Fetches and applies one page for each subscription that needs it and is not backing off; returns how many pages were applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var pages = 0;
        var now = clock.GetUtcNow();
        var active = subscriptions.List().Where(s => s is { State: SubscriptionState.Accepted, BackfillDone: false }).ToList();
        foreach (var id in _prefetched.Keys.Except(active.Select(s => s.Id), StringComparer.Ordinal))
            if (_prefetched.TryRemove(id, out var stale)) Drop(stale);
        foreach (var subscription in active)
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
        var page = await TakePrefetched(subscription) ?? await FetchAsync(subscription, outbox, subscription.BackfillAfter, ct);
        // A page that says more follows but ends where it began would be asked for again and again.
        if (page.Next is not null && page.Last <= subscription.BackfillAfter)
            throw new FormatException($"the page after {subscription.BackfillAfter} does not advance (commons:last {page.Last})");
        if (page.Next is not null)
            _prefetched[subscription.Id] = new Prefetch(subscription.FollowActivityId, page.Last, FetchAsync(subscription, outbox, page.Last, ct));

        // The page and the checkpoint in one transaction, only while the subscription still stands (a Reject may have
        // ended it meanwhile). A refused item (a proof that does not verify yet, say after a key rotation) refuses the
        // page: the checkpoint stays, so the page is asked for again later rather than skipped.
        var outcome = page.RecordObjects
            ? await applier.ApplyRecordObjectPageAsync(subscription, page.Items, page.Last, done: page.Next is null, ct)
            : await applier.ApplyPageAsync(subscription, page.Items, page.InheritedContext, page.Last, done: page.Next is null, ct);
        if (outcome.RefusedAt is { } refusedAt)
        {
            if (_prefetched.TryRemove(subscription.Id, out var next)) Drop(next);
            throw new FormatException($"item {refusedAt} of the page after {subscription.BackfillAfter} was refused ({outcome.Detail})");
        }
        return outcome.Applied is not null;
    }

    /// <summary>The page fetched ahead for this subscription, if it starts at its stored checkpoint; its failure is this round's.</summary>
    private async Task<FetchedPage?> TakePrefetched(Subscription subscription)
    {
        if (!_prefetched.TryRemove(subscription.Id, out var prefetch)) return null;
        if (prefetch.After == subscription.BackfillAfter && prefetch.FollowActivityId == subscription.FollowActivityId) return await prefetch.Page;
        Drop(prefetch);
        return null;
    }

    /// <summary>Forgets a page fetched ahead, observing its failure so that it is not reported as unobserved.</summary>
    private static void Drop(Prefetch prefetch) =>
        prefetch.Page.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task<FetchedPage> FetchAsync(Subscription subscription, Uri outbox, long after, CancellationToken ct)
    {
        var pageSize = _reducedPageSizes.TryGetValue(subscription.Id, out var reduced) ? reduced : PageSize;
        FederationResponse response;
        while (true)
        {
            var url = new Uri($"{outbox}?page={after}&limit={pageSize}");
            try
            {
                response = await http.GetAsync(url, signer, BackfillBatch.Accept, ResponseCap(pageSize), ct);
                break;
            }
            catch (ResponseTooLargeException) when (pageSize > 1)
            {
                // Records near the record limit: the same checkpoint asked for again in half the records, and kept that way.
                pageSize /= 2;
                _reducedPageSizes[subscription.Id] = pageSize;
                log.LogInformation("Backfill of {Actor}: a page passed the response cap, asking for {PageSize} records a page", subscription.DatasetActor, pageSize);
            }
        }
        if (!response.IsSuccessStatusCode) throw new BackfillHttpException((int)response.StatusCode, response.RetryAfterUntil(clock.GetUtcNow()), clock.GetUtcNow());
        // The version the origin chose: an origin of an earlier release answers v1 or JSON to our v2-first Accept.
        var recordObjects = response.ContentType?.StartsWith(BackfillBatch.RecordObjectsMediaType, StringComparison.OrdinalIgnoreCase) == true;
        if (recordObjects || response.ContentType?.StartsWith(BackfillBatch.MediaType, StringComparison.OrdinalIgnoreCase) == true)
        {
            var (items, last, next) = BackfillBatch.Decode(response.Body);
            return new FetchedPage(items, default, last, next, recordObjects);
        }
        var json = BackfillBatch.DecodeJsonPage(response.Body);
        return new FetchedPage(json.Items, json.InheritedContext, json.Last, json.Next);
    }

    /// <summary>A page's items, and the @context they inherit from it (a JSON page drops its items' own; default when none);
    /// <paramref name="RecordObjects"/> when the items are signed record objects (v2 batch), not activities.</summary>
    private sealed record FetchedPage(IReadOnlyList<JsonElement> Items, JsonElement InheritedContext, long Last, long? Next, bool RecordObjects = false);

    /// <summary>A page asked for ahead: the follow it was for and the checkpoint it starts after.</summary>
    private sealed record Prefetch(string FollowActivityId, long After, Task<FetchedPage> Page);

    /// <summary>
    /// The largest response read for a page of <paramref name="pageSize"/> records, each as large as our record limit allows
    /// (a record object carries its body twice: as data and as the HTML content), bounded by <see cref="MaxPageResponseBytes"/>
    /// and never below the node's general cap.
    /// </summary>
    public long ResponseCap(int pageSize) =>
        Math.Clamp((long)pageSize * (2L * _maxRecordBytes + ItemEnvelopeBytes), http.Options.MaxResponseBytes, Math.Max(MaxPageResponseBytes, http.Options.MaxResponseBytes));

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
