using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Inbox;

/// <summary>
/// Applies stored inbox activities in arrival order, off the request path. Each activity is handled once (the store
/// de-duplicates ids) by the handler of its (activity type, object type); a pair no handler lists is acknowledged and
/// ignored, the log naming it; a handler's failure is recorded, never retried forever.
/// Its sender is up: what was waiting for it is brought forward (<see cref="PeerRecovery"/>).
/// </summary>
public sealed class InboxProcessor(IInboxStore inbox, IEnumerable<IActivityHandler> handlers, ILogger<InboxProcessor> log, PeerRecovery? recovery = null)
{
    private readonly Dictionary<ActivityKey, IActivityHandler> _handlers = ByKey(handlers);

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
                var keys = Keys(json);
                var key = keys.FirstOrDefault(_handlers.ContainsKey);
                outcome = key == default
                    ? $"ignored: no handler for {(keys.Count == 0 ? "an activity without a type" : string.Join(", ", keys))}"
                    : await _handlers[key].HandleAsync(new InboxActivity(entry.ActivityId, key, entry.ActorUri, json), ct);
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

    /// <summary>Every (activity type, object type) pair the activity can be read as, in the order it lists its types.</summary>
    public static IReadOnlyList<ActivityKey> Keys(JsonElement activity)
    {
        var objectTypes = InboxActivity.ObjectTypes(activity);
        return AsJson.Types(activity).SelectMany(type => objectTypes.Select(o => new ActivityKey(type, o))).ToList();
    }

    private static Dictionary<ActivityKey, IActivityHandler> ByKey(IEnumerable<IActivityHandler> handlers)
    {
        var byKey = new Dictionary<ActivityKey, IActivityHandler>();
        foreach (var handler in handlers)
            foreach (var key in handler.Handles)
                if (!byKey.TryAdd(key, handler))
                    throw new InvalidOperationException($"two inbox handlers for {key}: {byKey[key].GetType().Name} and {handler.GetType().Name}");
        return byKey;
    }
}
