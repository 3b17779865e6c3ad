using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Inbox;

/// <summary>
/// Applies stored inbox activities in arrival order, off the request path. Each activity is handled once (the store
/// de-duplicates ids); unknown types are acknowledged and ignored; a handler's failure is recorded, never retried forever.
/// Its sender is up: what was waiting for it is brought forward (<see cref="PeerRecovery"/>).
/// </summary>
public sealed class InboxProcessor(IInboxStore inbox, IEnumerable<IActivityHandler> handlers, ILogger<InboxProcessor> log, PeerRecovery? recovery = null)
{
    private readonly Dictionary<string, IActivityHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var pending = inbox.Unprocessed(100);
        foreach (var entry in pending)
        {
            string outcome;
            try
            {
                using var doc = JsonDocument.Parse(entry.Json);
                var json = doc.RootElement;
                var type = AsJson.Types(json).FirstOrDefault(_handlers.ContainsKey);
                outcome = type is null
                    ? $"ignored: no handler for {string.Join(',', AsJson.Types(json))}"
                    : await _handlers[type].HandleAsync(new InboxActivity(entry.ActivityId, type, entry.ActorUri, json), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // Whatever a handler throws (a store error too) is recorded and the activity marked processed: an
                // exception escaping here would leave it unprocessed at the head of the queue, failing every round.
                outcome = $"failed: {e.Message}";
                log.LogWarning("Inbox activity {Id} from {Actor} failed: {Error}", entry.ActivityId, entry.ActorUri, e.Message);
            }
            inbox.MarkProcessed(entry.ActivityId, outcome);
        }
        // Once per sender and round, not per activity: hearing from a peer costs a subscription lookup, and a busy peer
        // sends a whole round's worth of activities at once.
        if (recovery is not null)
            foreach (var actor in pending.Select(e => e.ActorUri).Distinct(StringComparer.Ordinal))
                recovery.Heard(actor);
        return pending.Count;
    }
}
