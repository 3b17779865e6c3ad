using System.Text.Json;
using Commons.Core.Exchanges;

namespace Commons.Web.Tests;

/// <summary>Requests between nodes stored as if they had come and gone over the wire (the pages only read and answer them).</summary>
public sealed partial class UiNode
{
    /// <summary>A request one of our members sent to a remote dataset, in <paramref name="state"/>.</summary>
    public Exchange AddOutgoingRequest(string by, ExchangeState state = ExchangeState.Pending, string? code = null) => Store(new Exchange
    {
        Id = $"{Address}actor#requests/{Guid.NewGuid():D}", Direction = ExchangeDirection.Outgoing, TargetActor = "http://peer.example/datasets/rooms",
        RequesterActor = $"{Address}actor", PeerInbox = "http://peer.example/datasets/rooms/inbox", RequestType = "place.book", Kind = "place.bookings",
        State = state, Code = code, Body = RequestBody(), RequestedBy = by, CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(2),
    });

    /// <summary>A pending request a peer sent to our dataset <paramref name="slug"/> (its answer would go to an unreachable inbox).</summary>
    public Exchange AddIncomingRequest(string slug) => Store(new Exchange
    {
        Id = $"http://peer.example/actor#requests/{Guid.NewGuid():D}", Direction = ExchangeDirection.Incoming, DatasetSlug = slug,
        TargetActor = $"{Address}datasets/{slug}", RequesterActor = "http://peer.example/actor", PeerInbox = "http://127.0.0.1:9/actor/inbox",
        RequestType = "place.book", Kind = "custom", Body = RequestBody(), CreatedAt = DateTimeOffset.UtcNow,
    });

    private Exchange Store(Exchange exchange)
    {
        Assert.True(Service<IExchangeStore>().TryAdd(exchange));
        return exchange;
    }

    private static JsonElement RequestBody()
    {
        using var doc = JsonDocument.Parse("""{"resource":"hall","start":"2026-12-10T09:00:00+01:00"}""");
        return doc.RootElement.Clone();
    }
}
