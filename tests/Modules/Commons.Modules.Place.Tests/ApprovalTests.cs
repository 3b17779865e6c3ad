using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Microsoft.Extensions.DependencyInjection;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// A resource that needs a steward's approval: a peer's booking and a member's are pending (and hold the time) until an
/// editor of the bookings approves or refuses; the peer's request is answered then, as the handler would have. A
/// resource that names its bookers admits only them.
/// </summary>
public sealed class ApprovalTests : IDisposable
{
    private const string Peer = "https://b.example/datasets/neighbours";
    private const string Other = "https://c.example/datasets/other";
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public ApprovalTests()
    {
        _node.Records.Create(Admin, "rooms", "studio", Doc("""
            {"name":{"fr":"Studio","nl":"Studio","en":"Studio"},"category":"room","approval":"steward","bookers":["b.example"]}
            """));
        foreach (var actor in new[] { Peer, Other })
            _node.Followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = actor, Inbox = actor + "/inbox", FollowActivityId = actor + "#follow", State = FollowerState.Accepted });
    }

    public void Dispose() => _node.Dispose();

    private async Task<(IncomingRequest Request, RequestDecision Decision)> Send(string type, object body, string actor = Peer)
    {
        var request = new IncomingRequest(_node.DatasetStore.Find("rooms")!, $"{new Uri(actor).GetLeftPart(UriPartial.Authority)}/requests/{Guid.NewGuid():N}", type, actor,
            new Uri(actor).Authority, JsonSerializer.SerializeToElement(body), _node.Clock.GetUtcNow());
        var handler = type == "place.book" ? (IRequestHandler)_node.BookHandler : _node.CancelHandler;
        var decision = await handler.DecideAsync(request, CancellationToken.None);
        _node.Exchanges.Received(request, decision);
        return (request, decision);
    }

    private static object Studio(string start, string end) => new { resource = "studio", start, end, purpose = "rehearsal" };

    private string BookingOf(string requestId) =>
        _node.Place.Bookings(Admin).Single(b => b.Booking.RequestId == requestId).Id;

    [Fact]
    public async Task A_peers_booking_waits_pending_holding_the_time_and_the_stewards_approval_answers_its_request_accepted()
    {
        var (request, decision) = await Send("place.book", Studio("2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"));

        Assert.Equal(ExchangeState.Pending, decision.State);
        var id = BookingOf(request.RequestId);
        Assert.Equal(("pending", Peer), (_node.Booking(id)!.Data.GetProperty("state").GetString(), _node.Booking(id)!.Data.GetProperty("bookedBy").GetString()));
        var clash = Assert.Throws<RuleConflictException>(() => _node.Place.Book(Alice, Ask("studio", "2026-04-01T15:00:00+02:00", "2026-04-01T17:00:00+02:00")));
        Assert.Equal(PlaceCodes.BookingConflict, clash.Code);
        Assert.Equal([id], _node.Approvals.Pending(Admin).Select(p => p.View.Id));

        var approved = await _node.Approvals.ApproveAsync(Admin, id, CancellationToken.None);

        Assert.Equal("confirmed", approved.Booking.State);
        var answered = _node.Exchanges.Find(request.RequestId)!;
        Assert.Equal((ExchangeState.Accepted, "root"), (answered.State, answered.AnsweredBy));
        Assert.Equal((id, "confirmed"), (answered.Result!.Value.GetProperty("booking").GetString(), answered.Result!.Value.GetProperty("state").GetString()));
        Assert.Empty(_node.Approvals.Pending(Admin));
        Assert.Equal(PlaceCodes.BookingNotPending, Assert.Throws<ConflictException>(() => _node.Approvals.Refuse(Admin, id)).Code);
    }

    [Fact]
    public async Task A_refusal_frees_the_time_and_answers_the_peer_refused_by_steward()
    {
        var (request, _) = await Send("place.book", Studio("2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"));
        var id = BookingOf(request.RequestId);

        Assert.Equal("refused", _node.Approvals.Refuse(Admin, id).Booking.State);

        var answered = _node.Exchanges.Find(request.RequestId)!;
        Assert.Equal((ExchangeState.Refused, PlaceCodes.RefusedBySteward), (answered.State, answered.Code));
        Assert.Equal("pending", _node.Place.Book(Alice, Ask("studio", "2026-04-01T15:00:00+02:00", "2026-04-01T17:00:00+02:00")).Booking.State);
    }

    [Fact]
    public async Task Only_an_editor_of_the_bookings_approves_and_a_members_booking_of_the_resource_is_pending_too()
    {
        var mine = _node.Place.Book(Alice, Ask("studio", "2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00"));
        Assert.Equal("pending", mine.Booking.State);

        await Assert.ThrowsAsync<NotFoundException>(() => _node.Approvals.ApproveAsync(Bob, mine.Id, CancellationToken.None));
        Assert.Empty(_node.Approvals.Pending(Bob));
        Assert.False(_node.Approvals.MayApprove(Alice));
        _node.AddMember("bob");
        _node.Datasets.SetGrant(Admin, "bookings", "bob", Core.Datasets.GrantRole.Viewer);
        await Assert.ThrowsAsync<ForbiddenException>(() => _node.Approvals.ApproveAsync(Bob, mine.Id, CancellationToken.None));
        _node.Datasets.SetGrant(Admin, "bookings", "bob", Core.Datasets.GrantRole.Editor);

        Assert.Single(_node.Approvals.Pending(Bob));
        Assert.Equal("confirmed", (await _node.Approvals.ApproveAsync(Bob, mine.Id, CancellationToken.None)).Booking.State);
        Assert.Equal("confirmed", _node.Place.FindBooking(Alice, mine.Id).Booking.State);
        await Assert.ThrowsAsync<NotFoundException>(() => _node.Approvals.ApproveAsync(Bob, "nothing", CancellationToken.None));
        // The hall needs no approval: confirmed at once, as before.
        Assert.Equal("confirmed", _node.Place.Book(Alice, Ask("hall", "2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00")).Booking.State);
    }

    [Fact]
    public async Task A_resource_that_names_its_bookers_refuses_any_other_follower_and_stores_nothing()
    {
        var changes = _node.BookingChanges();
        var (_, refused) = await Send("place.book", Studio("2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00"), Other);

        Assert.Equal((ExchangeState.Refused, PlaceCodes.NotAllowed), (refused.State, refused.Code));
        Assert.Equal(changes, _node.BookingChanges());
        // The hall names no bookers: any follower books it.
        var (_, hall) = await Send("place.book", new { resource = "hall", start = "2026-04-01T10:00:00+02:00", end = "2026-04-01T11:00:00+02:00" }, Other);
        Assert.Equal(ExchangeState.Accepted, hall.State);
    }

    [Fact]
    public async Task A_peer_cancels_its_pending_booking_by_its_request_and_the_request_is_answered_so_it_waits_no_more()
    {
        var (request, _) = await Send("place.book", Studio("2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"));
        var (_, stranger) = await Send("place.cancel", new { request = request.RequestId }, Other);
        Assert.Equal(PlaceCodes.NotAllowed, stranger.Code);

        var (_, cancelled) = await Send("place.cancel", new { request = request.RequestId });

        Assert.Equal((ExchangeState.Accepted, "cancelled"), (cancelled.State, cancelled.Result!.Value.GetProperty("state").GetString()));
        var booking = _node.Booking(BookingOf(request.RequestId))!.Data;
        Assert.Equal(_node.Clock.GetUtcNow(), Booking.Of(booking).CancelledAt);
        Assert.Equal((ExchangeState.Refused, ProblemCodes.RequestRefused), (_node.Exchanges.Find(request.RequestId)!.State, _node.Exchanges.Find(request.RequestId)!.Code));
        Assert.Empty(_node.Approvals.Pending(Admin));
    }
    [Fact]
    public async Task The_dashboard_tells_a_steward_what_waits_and_a_member_the_answers_of_the_last_seven_days()
    {
        await Send("place.book", Studio("2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"));
        var sent = await _node.Exchanges.SendAsync(Alice, "https://c.example/datasets/rooms", "place.book",
            JsonSerializer.SerializeToElement(new { resource = "loft", start = "2026-04-02T10:00:00+02:00", end = "2026-04-02T11:00:00+02:00" }), CancellationToken.None);
        _node.Exchanges.Answered(sent.Id, ExchangeState.Refused, code: PlaceCodes.RefusedBySteward);
        var services = new ServiceCollection()
            .AddSingleton(_node.Approvals).AddSingleton(_node.Remote).AddSingleton<TimeProvider>(TimeProvider.System).BuildServiceProvider();
        var module = new PlaceModule();

        var steward = Assert.Single(module.DashboardItems(services, Admin));
        Assert.Equal(("/place/approvals", "1 booking(s) waiting for your approval"), (steward.Path, steward.Text.En));
        var member = Assert.Single(module.DashboardItems(services, Alice));
        Assert.Equal(("/place/elsewhere/bookings", "Booking elsewhere refused: loft"), (member.Path, member.Text.En));
        Assert.Contains("\u00a0:", member.Text.Fr);
        Assert.Empty(module.DashboardItems(services, Bob));
    }
}
