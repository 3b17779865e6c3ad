using System.Collections.Concurrent;
using System.Text.Json;
using Commons.Federation.Delivery;
using Commons.Federation.Signatures.Keys;

namespace Commons.E2E.Support;

public sealed record DeliveryAttempt(Uri Inbox, string? Type, string? ActivityId, int? Status, string? Error);

/// <summary>What a node's delivery worker sent.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentQueue<DeliveryAttempt> _attempts = new();

    public void Add(DeliveryAttempt attempt) => _attempts.Enqueue(attempt);

    public IReadOnlyList<DeliveryAttempt> All => _attempts.ToArray();

    /// <summary>Attempts to any inbox of the node at <paramref name="baseUrl"/>.</summary>
    public IReadOnlyList<DeliveryAttempt> To(string baseUrl) =>
        _attempts.Where(a => a.Inbox.ToString().StartsWith(baseUrl.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
}

/// <summary>The node's real <see cref="SignedActivitySender"/>, with each attempt written to a <see cref="DeliveryLog"/>.</summary>
public sealed class RecordingSender(IActivitySender inner, DeliveryLog log) : IActivitySender
{
    public async Task<SendOutcome> PostAsync(Uri inbox, byte[] activityJson, SigningKey key, string keyId, CancellationToken ct)
    {
        string? type = null, id = null;
        try
        {
            using var doc = JsonDocument.Parse(activityJson);
            if (doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String) type = t.GetString();
            if (doc.RootElement.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String) id = i.GetString();
        }
        catch (JsonException) { }
        try
        {
            var outcome = await inner.PostAsync(inbox, activityJson, key, keyId, ct);
            log.Add(new DeliveryAttempt(inbox, type, id, outcome.StatusCode, outcome.Error));
            return outcome;
        }
        catch (Exception e)
        {
            log.Add(new DeliveryAttempt(inbox, type, id, null, e.Message));
            throw;
        }
    }
}
