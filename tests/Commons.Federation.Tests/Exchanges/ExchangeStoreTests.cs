using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Exchanges;

/// <summary>
/// The exchange store on a real LiteDB file: who sees what in a listing, newest first and paged; an answer or an expiry
/// applies only to the state it was decided on; only overdue outgoing pending exchanges expire.
/// </summary>
public sealed class ExchangeStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-exchanges-{Guid.NewGuid():N}");
    private readonly CommonsDatabase _database;
    private readonly LiteExchangeStore _store;

    public ExchangeStoreTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _store = new LiteExchangeStore(_database);
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static Exchange Outgoing(int n, string by, int minutes = 0, TimeSpan? timeout = null) => new()
    {
        Id = $"http://b/actor#requests/{n}", Direction = ExchangeDirection.Outgoing, TargetActor = "http://a/datasets/rooms", RequesterActor = "http://b/actor",
        PeerInbox = "http://a/datasets/rooms/inbox", RequestType = "place.book", Kind = "place.bookings", Body = Body(), RequestedBy = by,
        CreatedAt = T0.AddMinutes(minutes), ExpiresAt = T0.AddMinutes(minutes) + (timeout ?? TimeSpan.FromHours(1)),
    };

    private static Exchange Incoming(int n, string slug, int minutes = 0) => new()
    {
        Id = $"http://c/actor#requests/{n}", Direction = ExchangeDirection.Incoming, DatasetSlug = slug, TargetActor = $"http://b/datasets/{slug}",
        RequesterActor = "http://c/actor", PeerInbox = "http://c/actor/inbox", RequestType = "place.book", Kind = "place.bookings", Body = Body(),
        CreatedAt = T0.AddMinutes(minutes),
    };

    private static JsonElement Body()
    {
        using var doc = JsonDocument.Parse("""{"slot":"mon-9"}""");
        return doc.RootElement.Clone();
    }

    [Fact]
    public void A_member_sees_their_own_requests_a_steward_those_to_their_datasets_an_administrator_all()
    {
        _store.TryAdd(Outgoing(1, "ann", 1));
        _store.TryAdd(Outgoing(2, "bob", 2));
        _store.TryAdd(Incoming(3, "rooms", 3));
        _store.TryAdd(Incoming(4, "tools", 4));

        string Ids(ExchangeQuery q) => string.Join(' ', _store.List(q).Items.Select(e => e.Id[^1..]));
        Assert.Equal("1", Ids(new ExchangeQuery { Member = "ann" }));
        Assert.Equal("3 1", Ids(new ExchangeQuery { Member = "ann", StewardOf = ["rooms"] }));
        Assert.Equal("4 3 2 1", Ids(new ExchangeQuery { All = true }));
        Assert.Equal("4 3", Ids(new ExchangeQuery { All = true, Direction = ExchangeDirection.Incoming }));
        Assert.Equal("", Ids(new ExchangeQuery { Member = "carl" }));
        Assert.Equal("", Ids(new ExchangeQuery { All = true, State = ExchangeState.Accepted }));
    }

    [Fact]
    public void Pages_go_from_the_newest_and_the_cursor_continues_where_the_page_ended()
    {
        for (var i = 1; i <= 5; i++) _store.TryAdd(Outgoing(i, "ann", i));
        var first = _store.List(new ExchangeQuery { Member = "ann", Limit = 2 });
        var second = _store.List(new ExchangeQuery { Member = "ann", Limit = 2, After = first.Next });
        var third = _store.List(new ExchangeQuery { Member = "ann", Limit = 2, After = second.Next });
        Assert.Equal("5 4 3 2 1", string.Join(' ', first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.Id[^1..])));
        Assert.Null(third.Next);
    }

    [Fact]
    public void The_same_request_id_is_stored_once_and_found_by_its_ref()
    {
        var exchange = Outgoing(1, "ann");
        Assert.True(_store.TryAdd(exchange));
        Assert.False(_store.TryAdd(exchange with { RequestedBy = "bob" }));
        var found = _store.FindByRef(exchange.Ref)!;
        Assert.Equal(("ann", 32), (found.RequestedBy, found.Ref.Length));
        Assert.Equal("""{"slot":"mon-9"}""", found.Body.GetRawText());
        Assert.Null(_store.FindByRef(Exchange.RefOf("http://b/actor#requests/2")));
    }

    [Fact]
    public void An_answer_applies_only_to_a_pending_exchange_and_expiry_only_to_overdue_outgoing_pending_ones()
    {
        _store.TryAdd(Outgoing(1, "ann", timeout: TimeSpan.FromMinutes(5)));
        _store.TryAdd(Outgoing(2, "ann", timeout: TimeSpan.FromMinutes(5)));
        _store.TryAdd(Outgoing(3, "ann", timeout: TimeSpan.FromHours(5)));
        _store.TryAdd(Incoming(4, "rooms"));
        var accepted = _store.Find("http://b/actor#requests/2")! with { State = ExchangeState.Accepted, AnsweredAt = T0.AddMinutes(1) };
        Assert.True(_store.TryUpdate(accepted, ExchangeState.Pending));

        Assert.Equal(1, _store.ExpireOverdue(T0.AddMinutes(10), 100));
        Assert.Equal(0, _store.ExpireOverdue(T0.AddMinutes(10), 100));
        Assert.Equal(
            [ExchangeState.Expired, ExchangeState.Accepted, ExchangeState.Pending, ExchangeState.Pending],
            new[] { "http://b/actor#requests/1", "http://b/actor#requests/2", "http://b/actor#requests/3", "http://c/actor#requests/4" }.Select(id => _store.Find(id)!.State));

        // An answer decided on a pending exchange that expired meanwhile changes nothing.
        var late = _store.Find("http://b/actor#requests/1")! with { State = ExchangeState.Accepted };
        Assert.False(_store.TryUpdate(late, ExchangeState.Pending));
        Assert.Equal(ExchangeState.Expired, _store.Find("http://b/actor#requests/1")!.State);
    }
}
