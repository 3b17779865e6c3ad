using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.Http;
using Commons.Federation.Signatures.Digests;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Delivery;

/// <summary>
/// Works through the durable delivery queue: signs and sends each due activity; success removes it, 404/410 ends
/// delivery to the followers behind that inbox, 401/408/429/5xx and transport failures retry on the schedule, other
/// refusals (400, 403, …) and anything older than the give-up age go to the dead-letter list for an administrator.
/// Failures are logged per host without flooding (<see cref="HostDeliveryHealth"/>); when a host that was failing answers
/// again, its other waiting deliveries are due at once rather than at their next back-off slot.
/// </summary>
public sealed class DeliveryProcessor(
    IDeliveryQueue queue, IFollowerStore followers, ActorKeyring keys, IActivitySender sender,
    Func<string, string> keyIdOf, RetrySchedule schedule, TimeProvider clock, ILogger<DeliveryProcessor> log)
{
    private readonly HostDeliveryHealth _failures = new(log, clock);

    /// <summary>At most one log line per failing host this often.</summary>
    public TimeSpan FailureLogInterval { get => _failures.Interval; init => _failures = new HostDeliveryHealth(log, clock) { Interval = value }; }

    public int MaxParallel { get; init; } = 16;

    /// <summary>Deliveries to one host in flight at a time within a round (the HTTP client's per-host limit; default the same, 4).</summary>
    public int MaxPerHost { get; init; } = 4;

    /// <summary>Sends what is due now; returns how many deliveries were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var due = queue.Due(clock.GetUtcNow(), 256);
        if (due.Count == 0) return 0;
        var turns = new DueByHost(due, InboxOf, MaxPerHost);
        var delivered = new DeliveredBatch(queue, CompleteBatchSize);
        try
        {
            // Workers on the thread pool from the start: each one's first signature is not made on the caller's thread, one after another.
            var workers = new Task[Math.Min(Math.Max(MaxParallel, 1), due.Count)];
            for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(() => WorkAsync(turns, delivered, ct), CancellationToken.None);
            await Task.WhenAll(workers);
        }
        finally
        {
            delivered.Flush();
        }
        return due.Count;
    }

    private async Task WorkAsync(DueByHost turns, DeliveredBatch delivered, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && turns.TryTake(out var turn))
        {
            try
            {
                await DeliverAsync(turn.Item, turn.Inbox, turn.Host, turn.Body, delivered, ct);
            }
            catch
            {
                turns.Stop(); // as a parallel loop does: the round ends with the first failure, what was delivered is still removed
                throw;
            }
            finally
            {
                turns.Done(turn);
            }
        }
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Delivered items are removed from the queue this many at a time, in one write, and at the end of the round: one
    /// write per delivery cost more than its signature. A crash before the removal sends those again, which receivers
    /// already de-duplicate by activity id (as after a crash between the answer and a single removal). 64 rather than 32:
    /// each write also rewrites the shared body's reference count and commits, and halving the writes cut the queue's CPU
    /// per delivery (Due and removals, measured alone) by a quarter to a third, for at most 64 deliveries sent again after a crash.
    /// </summary>
    public int CompleteBatchSize { get; init; } = 64;

    /// <summary>
    /// The host spoke to us (a signed activity from it arrived): if its deliveries were failing, the waiting ones are due
    /// now. Returns how many were brought forward.
    /// </summary>
    public int HostAnswered(string authority) => _failures.IsFailing(authority) ? queue.BringForward(authority, clock.GetUtcNow()) : 0;

    private static Uri? InboxOf(DeliveryItem item) => Uri.TryCreate(item.Inbox, UriKind.Absolute, out var inbox) ? inbox : null;

    public Task DeliverAsync(DeliveryItem item, CancellationToken ct)
    {
        var inbox = InboxOf(item);
        return DeliverAsync(item, inbox, inbox?.Authority ?? item.Inbox, DigestedBody.FromText(item.ActivityJson), null, ct);
    }

    /// <param name="inbox">The item's inbox parsed, or null when it is not an absolute URL (refused below, as a dead letter).</param>
    private async Task DeliverAsync(DeliveryItem item, Uri? inbox, string host, DigestedBody body, DeliveredBatch? delivered, CancellationToken ct)
    {
        SendOutcome outcome;
        try
        {
            // Read for every delivery: a key rotated since the last one signs the next.
            var key = keys.For(item.Sender);
            outcome = await sender.PostAsync(inbox ?? new Uri(item.Inbox), body, key.Rsa, keyIdOf(item.Sender), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException or RequestTimeoutException)
        {
            outcome = new SendOutcome(null, null, e.Message);
        }
        catch (Exception e) when (e is FederationHttpException or UriFormatException)
        {
            // Refused before or instead of an answer (blocked domain, private address, refused redirect, oversized answer,
            // an inbox that is not a URL): trying again will not help; an administrator can retry the dead letter.
            Dead(item, item.Attempts + 1, e.Message);
            return;
        }

        var now = clock.GetUtcNow();
        if (outcome.Succeeded)
        {
            if (delivered is null) queue.Complete(item.Id);
            else delivered.Add(item.Id);
            // The host answers again: what waits for it goes now (the worker's next round, at once after this one).
            if (_failures.Succeeded(host, retried: item.Attempts > 0)) queue.BringForward(host, now);
            return;
        }
        if (outcome.StatusCode is 404 or 410)
        {
            queue.Complete(item.Id);
            foreach (var f in followers.WithInbox(item.Inbox)) followers.Remove(f.DatasetSlug, f.ActorUri);
            log.LogInformation("Delivery to {Inbox} answered {Status}: that follower is gone, delivery to it ends", item.Inbox, outcome.StatusCode);
            return;
        }
        var attempts = item.Attempts + 1;
        var error = outcome.StatusCode is { } s ? $"HTTP {s}" : outcome.Error ?? "no answer";
        // 401 is retried too: a peer that cached our previous key refetches it on a later attempt (key rotation).
        var retryable = outcome.StatusCode is null or 401 or 408 or 429 or >= 500;
        if (!retryable || now - item.CreatedAt >= schedule.GiveUpAfter)
        {
            Dead(item, attempts, error);
            return;
        }
        var delay = schedule.Delay(attempts, outcome.RetryAfter, Random.Shared);
        queue.Update(item with { Attempts = attempts, NextAttemptAt = now + delay, LastError = error });
        _failures.Failed(host, item.Inbox, error, now + delay);
    }

    private void Dead(DeliveryItem item, int attempts, string error)
    {
        queue.Update(item with { Attempts = attempts, Dead = true, LastError = error });
        log.LogWarning("Delivery {Id} to {Inbox} given up after {Attempts} attempts: {Error}", item.Id, item.Inbox, attempts, error);
    }

    /// <summary>An administrator's retry of a dead letter: alive again, due now, with a fresh give-up window.</summary>
    public bool Retry(string id)
    {
        var item = queue.Find(id);
        if (item is null) return false;
        var now = clock.GetUtcNow();
        queue.Update(item with { Dead = false, NextAttemptAt = now, CreatedAt = now, Attempts = 0 });
        return true;
    }

    /// <summary>An administrator's retry of every dead letter (<see cref="Retry"/> for each); returns how many went back to the queue.</summary>
    public int RetryAllDead()
    {
        // The ids are read first: a retried item that fails again at once is dead again, and must not be retried twice here.
        var ids = queue.Page(dead: true, 0, int.MaxValue).Select(i => i.Id).ToList();
        return ids.Count(Retry);
    }
}

/// <summary>Ids of delivered items waiting to be removed from the queue together (see <see cref="DeliveryProcessor.CompleteBatchSize"/>).</summary>
internal sealed class DeliveredBatch(IDeliveryQueue queue, int size)
{
    private readonly List<string> _ids = [];

    public void Add(string id)
    {
        List<string>? full = null;
        lock (_ids)
        {
            _ids.Add(id);
            if (_ids.Count >= size) { full = [.. _ids]; _ids.Clear(); }
        }
        if (full is not null) queue.Complete(full);
    }

    public void Flush()
    {
        List<string> rest;
        lock (_ids) { rest = [.. _ids]; _ids.Clear(); }
        if (rest.Count > 0) queue.Complete(rest);
    }
}
