using Commons.Core.Exchanges;
using static Commons.Storage.Tests.Contract.Samples;

namespace Commons.Storage.Tests.Contract;

/// <summary>Exchanges: one per request id, found by id and by ref, moved on only from the state the caller saw, expired when overdue.</summary>
public abstract class ExchangeStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IExchangeStore Store => Backend.Get<IExchangeStore>();

    private static Exchange Pending(string id, DateTimeOffset expires) => new()
    {
        Id = id, Direction = ExchangeDirection.Outgoing, DatasetSlug = null, TargetActor = "https://a.example/datasets/rooms",
        RequesterActor = "https://b.example/actors/ana", PeerInbox = "https://a.example/inbox", RequestType = "place.book", Kind = "place.bookings",
        State = ExchangeState.Pending, Body = JsonOf("""{ "slot": "mon-9" }"""), RequestedBy = "ana", CreatedAt = At, ExpiresAt = expires,
    };

    [Fact]
    public void An_exchange_is_taken_once_per_request_id_and_found_by_id_and_ref()
    {
        Assert.True(Store.TryAdd(Pending("https://b.example/requests/1", At.AddDays(2))));
        Assert.False(Store.TryAdd(Pending("https://b.example/requests/1", At.AddDays(3))));
        Backend.Reopen();
        var got = Store.Find("https://b.example/requests/1")!;
        Assert.Equal(("place.book", ExchangeState.Pending, "ana", (DateTimeOffset?)At.AddDays(2)), (got.RequestType, got.State, got.RequestedBy, got.ExpiresAt));
        Assert.Equal("""{"slot":"mon-9"}""", got.Body.GetRawText().Replace(" ", ""));
        Assert.Equal(got.Id, Store.FindByRef(Exchange.RefOf("https://b.example/requests/1"))!.Id);
        Assert.Null(Store.Find("https://b.example/requests/2"));
    }

    [Fact]
    public void An_update_applies_only_from_the_expected_state_and_overdue_pending_ones_expire()
    {
        var first = Pending("https://b.example/requests/1", At.AddHours(1));
        Store.TryAdd(first);
        Store.TryAdd(Pending("https://b.example/requests/2", At.AddDays(5)));
        Assert.True(Store.TryUpdate(first with { State = ExchangeState.Refused, Code = "slot_taken", AnsweredAt = At }, ExchangeState.Pending));
        Assert.False(Store.TryUpdate(first with { State = ExchangeState.Accepted }, ExchangeState.Pending));
        Assert.Equal(("slot_taken", ExchangeState.Refused), (Store.Find(first.Id)!.Code, Store.Find(first.Id)!.State));
        Assert.Equal(0, Store.ExpireOverdue(At.AddDays(1), 10));
        Assert.Equal(1, Store.ExpireOverdue(At.AddDays(6), 10));
        Assert.Equal(ExchangeState.Expired, Store.Find("https://b.example/requests/2")!.State);
    }

    [Fact]
    public void A_listing_narrows_to_one_request_type()
    {
        Store.TryAdd(Pending("https://b.example/requests/1", At.AddDays(2)));
        Store.TryAdd(Pending("https://b.example/requests/2", At.AddDays(2)) with { RequestType = "place.cancel", CreatedAt = At.AddMinutes(1) });
        Store.TryAdd(Pending("https://b.example/requests/3", At.AddDays(2)) with { CreatedAt = At.AddMinutes(2) });
        Backend.Reopen();
        string Ids(string? type) => string.Join(' ', Store.List(new ExchangeQuery { Member = "ana", Type = type }).Items.Select(e => e.Id[^1..]));
        Assert.Equal("3 1", Ids("place.book"));
        Assert.Equal("2", Ids("place.cancel"));
        Assert.Equal("3 2 1", Ids(null));
        Assert.Equal("", Ids("place.other"));
    }
}
