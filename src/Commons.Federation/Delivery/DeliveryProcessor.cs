using Commons.Core.Federation;
using Commons.Federation.Actors;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Delivery;

/// <summary>
/// Works through the durable delivery queue: signs and sends each due activity; success removes it, 404/410 ends
/// delivery to the followers behind that inbox, 408/429/5xx and transport failures retry on the schedule, other
/// refusals and anything older than the give-up age go to the dead-letter list for an administrator.
/// </summary>
public sealed class DeliveryProcessor(
    IDeliveryQueue queue, IFollowerStore followers, ActorKeyring keys, IActivitySender sender,
    Func<string, string> keyIdOf, RetrySchedule schedule, TimeProvider clock, ILogger<DeliveryProcessor> log)
{
    public int MaxParallel { get; init; } = 16;

    /// <summary>Sends what is due now; returns how many deliveries were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var due = queue.Due(clock.GetUtcNow(), 256);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxParallel, CancellationToken = ct },
            async (item, token) => await DeliverAsync(item, token));
        return due.Count;
    }

    public async Task DeliverAsync(DeliveryItem item, CancellationToken ct)
    {
        SendOutcome outcome;
        try
        {
            var key = keys.For(item.Sender);
            outcome = await sender.PostAsync(new Uri(item.Inbox), System.Text.Encoding.UTF8.GetBytes(item.ActivityJson), key.Rsa, keyIdOf(item.Sender), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
        {
            outcome = new SendOutcome(null, null, e.Message);
        }

        var now = clock.GetUtcNow();
        if (outcome.Succeeded)
        {
            queue.Complete(item.Id);
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
        var retryable = outcome.StatusCode is null or 408 or 429 or >= 500;
        if (!retryable || now - item.CreatedAt >= schedule.GiveUpAfter)
        {
            queue.Update(item with { Attempts = attempts, Dead = true, LastError = error });
            log.LogWarning("Delivery {Id} to {Inbox} given up after {Attempts} attempts: {Error}", item.Id, item.Inbox, attempts, error);
            return;
        }
        var delay = schedule.Delay(attempts, outcome.RetryAfter, Random.Shared);
        queue.Update(item with { Attempts = attempts, NextAttemptAt = now + delay, LastError = error });
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
}
