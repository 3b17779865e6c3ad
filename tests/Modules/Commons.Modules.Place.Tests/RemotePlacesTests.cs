using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Tests.Support;
using Commons.Modules.Place.Views;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The requester's side, in process: node B follows A's resources, sees them with the free time A computes, books A's
/// approval room from B, learns the steward's decision from A's <c>mine</c> view, shows the last known state while A is
/// unreachable, and cancels. Requests travel by hand here (B's request given to A's handler); tests/Commons.E2E sends them
/// between real nodes.
/// </summary>
public sealed class RemotePlacesTests : IDisposable
{
    private const string RoomsActor = "https://a.example/datasets/rooms";
    private readonly PlaceNode _a = new PlaceNode().WithPlace();
    private readonly PlaceNode _b = new();

    public RemotePlacesTests()
    {
        _a.Records.Create(Admin, "rooms", "studio", Doc("""{"name":{"fr":"Studio","en":"Studio"},"category":"room","approval":"steward","bookers":["b.example"]}"""));
        _a.Followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = DirectViews.Fetcher, Inbox = DirectViews.Fetcher + "/inbox", FollowActivityId = "f1", State = FollowerState.Accepted });
        _b.RemoteViews.Serve(RoomsActor, _a, "rooms", new SlotsView(_a.ModuleStore), new MineView(_a.Directory, _a.RecordStore, _a.ModuleStore, _a.Billing));
        Follow("s1", RoomsActor, "place.resources", SubscriptionState.Accepted);
        Follow("s2", "https://c.example/datasets/rooms", "place.resources", SubscriptionState.Pending);
        Follow("s3", "https://a.example/datasets/profiles", "map.profiles", SubscriptionState.Accepted);
        foreach (var id in new[] { "hall", "studio" })
            _b.Replicas.ApplyIfNewer(new ReplicaRecord { SubscriptionId = "s1", RecordId = id, ObjectUri = $"{RoomsActor}/records/{id}", Revision = 1, Data = RecordOf(id) });
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private JsonElement RecordOf(string id) => _a.RecordStore.Get(_a.DatasetStore.Find("rooms")!.Key, id)!.Data;

    private void Follow(string id, string actor, string kind, SubscriptionState state) => _b.Subscriptions.Upsert(new Subscription
    {
        Id = id, DatasetActor = actor, Inbox = actor + "/inbox", Name = "Rooms of A", Kind = kind, FollowActivityId = id + "#follow", State = state, RequestedBy = "root",
    });

    /// <summary>Carries B's outgoing request to A's handler, and A's answer back, as the nodes' exchanges would.</summary>
    private async Task<RequestDecision> Deliver(Exchange sent)
    {
        var request = new IncomingRequest(_a.DatasetStore.Find("rooms")!, sent.Id, sent.RequestType, DirectViews.Fetcher, "b.example", sent.Body, _a.Clock.GetUtcNow());
        var decision = await (sent.RequestType == "place.book" ? (IRequestHandler)_a.BookHandler : _a.CancelHandler).DecideAsync(request, CancellationToken.None);
        _a.Exchanges.Received(request, decision);
        if (decision.State != ExchangeState.Pending) _b.Exchanges.Answered(sent.Id, decision.State, decision.Result, decision.Code);
        return decision;
    }

    [Fact]
    public async Task B_books_As_approval_room_sees_it_pending_then_confirmed_keeps_the_last_state_while_A_is_down_and_cancels()
    {
        var place = Assert.Single(_b.Remote.Places(Alice));
        Assert.Equal(("s1", 2), (place.Subscription, place.Resources.Count));
        var slots = await _b.Remote.SlotsAsync(Alice, "s1", "studio", At("2026-04-01T10:00:00+02:00"), At("2026-04-01T18:00:00+02:00"), CancellationToken.None);
        Assert.Equal([new TimeRange(At("2026-04-01T10:00:00+02:00"), At("2026-04-01T18:00:00+02:00"))], Assert.Single(slots).Free);

        var sent = await _b.Remote.BookAsync(Alice, new RemoteBookingRequest("s1", "studio", At("2026-04-01T14:00:00+02:00"), At("2026-04-01T16:00:00+02:00"), "choir", null), CancellationToken.None);
        Assert.Equal(ExchangeState.Pending, (await Deliver(sent)).State);
        var pending = Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items);
        Assert.Equal(("pending", "studio", true), (pending.State, pending.Resource, pending.MayCancel));
        Assert.Empty((await _b.Remote.MineAsync(Bob, CancellationToken.None)).Items);

        var approved = await _a.Approvals.ApproveAsync(Admin, pending.BookingId!, CancellationToken.None);
        var answer = _a.Exchanges.Find(sent.Id)!;
        _b.Exchanges.Answered(sent.Id, answer.State, answer.Result);
        Assert.Equal("confirmed", Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items).State);
        var busy = await _b.Remote.SlotsAsync(Alice, "s1", "studio", At("2026-04-01T10:00:00+02:00"), At("2026-04-01T18:00:00+02:00"), CancellationToken.None);
        Assert.Equal(2, busy[0].Free.Count);

        _b.RemoteViews.Down.Add(RoomsActor);
        var stale = await _b.Remote.MineAsync(Alice, CancellationToken.None);
        Assert.Equal("confirmed", Assert.Single(stale.Items).State);
        Assert.Equal(RoomsActor, Assert.Single(stale.Unreachable).Key);
        Assert.NotNull(stale.Unreachable[RoomsActor]);
        await Assert.ThrowsAnyAsync<CommonsException>(() => _b.Remote.SlotsAsync(Alice, "s1", null, null, null, CancellationToken.None));
        _b.RemoteViews.Down.Clear();

        var cancel = await _b.Remote.CancelAsync(Alice, pending.Ref, CancellationToken.None);
        Assert.Equal(approved.Id, cancel.Body.GetProperty("booking").GetString());
        Assert.True(Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items).CancelAsked);
        Assert.Equal(ExchangeState.Accepted, (await Deliver(cancel)).State);
        Assert.Equal("cancelled", Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items).State);
        var free = await _b.Remote.SlotsAsync(Alice, "s1", "studio", At("2026-04-01T10:00:00+02:00"), At("2026-04-01T18:00:00+02:00"), CancellationToken.None);
        Assert.Single(free[0].Free);
    }

    [Fact]
    public async Task B_refuses_what_it_can_tell_is_wrong_and_shows_a_refusal_with_its_code()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _b.Remote.BookAsync(Alice, new RemoteBookingRequest("s2", "studio", At("2026-04-01T14:00:00+02:00"), At("2026-04-01T15:00:00+02:00"), null, null), CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<Core.Kinds.RuleViolationException>(() => _b.Remote.BookAsync(Alice, new RemoteBookingRequest("s1", "van", At("2026-04-01T14:00:00+02:00"), At("2026-04-01T15:00:00+02:00"), null, null), CancellationToken.None));
        Assert.Equal("unknown_resource", unknown.Code);
        var reader = Alice with { Username = "reader", Scopes = Core.Tokens.TokenScopes.Read };
        await Assert.ThrowsAsync<ForbiddenException>(() => _b.Remote.BookAsync(reader, new RemoteBookingRequest("s1", "hall", At("2026-04-01T14:00:00+02:00"), At("2026-04-01T15:00:00+02:00"), null, null), CancellationToken.None));

        // The hall opens at 08:00: A refuses with its rule's code, which B shows.
        var early = await _b.Remote.BookAsync(Alice, new RemoteBookingRequest("s1", "hall", At("2026-04-01T06:00:00+02:00"), At("2026-04-01T07:00:00+02:00"), null, null), CancellationToken.None);
        Assert.Equal(ExchangeState.Refused, (await Deliver(early)).State);
        var refused = Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items);
        Assert.Equal(("refused", "outside_opening_hours", false), (refused.State, refused.Code, refused.MayCancel));
        Assert.Equal("booking_not_pending", (await Assert.ThrowsAsync<ConflictException>(() => _b.Remote.CancelAsync(Alice, refused.Ref, CancellationToken.None))).Code);
    }

    [Fact]
    public async Task B_shows_the_bill_A_asked_through_the_credit_module_for_a_booking_priced_in_credit()
    {
        _a.Records.Create(Admin, "rooms", "workshop", Doc("""{"name":{"en":"Workshop"},"category":"room","pricePerHourCredit":"4"}"""));
        _b.Replicas.ApplyIfNewer(new ReplicaRecord { SubscriptionId = "s1", RecordId = "workshop", ObjectUri = $"{RoomsActor}/records/workshop", Revision = 1, Data = RecordOf("workshop") });

        var sent = await _b.Remote.BookAsync(Alice, new RemoteBookingRequest("s1", "workshop", At("2026-04-01T14:00:00+02:00"), At("2026-04-01T15:30:00+02:00"), null, null), CancellationToken.None);
        Assert.Equal(ExchangeState.Accepted, (await Deliver(sent)).State);
        Assert.Equal(new RemotePayment(6m, "pending", null), Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items).Payment);

        _a.Payments.Settle(Assert.Single(_a.Payments.Asked).Reference, "refused", "payment_refused");
        Assert.Equal(new RemotePayment(6m, "refused", "payment_refused"), Assert.Single((await _b.Remote.MineAsync(Alice, CancellationToken.None)).Items).Payment);
    }
}
