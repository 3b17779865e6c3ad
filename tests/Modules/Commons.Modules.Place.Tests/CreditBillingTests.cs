using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Place.Payments;
using Commons.Modules.Place.Tests.Support;
using Commons.Modules.Place.Views;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// A booking by another organisation's node of a resource priced in credit is billed through the credit module's port
/// once confirmed — at once, or when a steward approves — for its hours × the credit price, with the booking id as
/// reference. A redelivered request bills nothing more; a bill that fails leaves the booking confirmed and says why;
/// this node's members, a resource without a credit price and credit switched off give no bill.
/// </summary>
public sealed class CreditBillingTests : IDisposable
{
    private const string Peer = "https://b.example/actor";
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public CreditBillingTests()
    {
        _node.Records.Create(Admin, "rooms", "workshop", Doc("""{"name":{"en":"Workshop"},"category":"room","pricePerHourEur":"10","pricePerHourCredit":"3"}"""));
        _node.Records.Create(Admin, "rooms", "studio", Doc("""{"name":{"en":"Studio"},"category":"room","approval":"steward","pricePerHourCredit":"2.5"}"""));
        _node.Followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = Peer, Inbox = Peer + "/inbox", FollowActivityId = Peer + "#f", State = FollowerState.Accepted });
    }

    public void Dispose() => _node.Dispose();

    private IncomingRequest Request(string resource, string start, string end) => new(
        _node.DatasetStore.Find("rooms")!, $"https://b.example/requests/{Guid.NewGuid():N}", "place.book", Peer, "b.example",
        JsonSerializer.SerializeToElement(new { resource, start, end }), _node.Clock.GetUtcNow());

    private async Task<RequestDecision> Decide(IncomingRequest request)
    {
        var decision = await _node.BookHandler.DecideAsync(request, CancellationToken.None);
        _node.Exchanges.Received(request, decision);
        return decision;
    }

    private static string BookingOf(RequestDecision decision) => decision.Result!.Value.GetProperty("booking").GetString()!;

    private JsonElement MineOf(string fetcher) => new MineView(_node.Directory, _node.RecordStore, _node.ModuleStore, _node.Billing).Build(
        new DatasetViewRequest(_node.DatasetStore.Find("rooms")!, "mine", fetcher, new Uri(fetcher).Authority, new Dictionary<string, string>(), _node.Clock.GetUtcNow()))!.Value;

    [Fact]
    public async Task An_accepted_booking_is_billed_once_for_its_hours_times_the_credit_price_even_when_its_request_comes_again()
    {
        var request = Request("workshop", "2026-04-01T14:00:00+02:00", "2026-04-01T15:30:00+02:00");
        var first = await Decide(request);
        var again = await Decide(request);

        Assert.Equal((ExchangeState.Accepted, ExchangeState.Accepted), (first.State, again.State));
        var id = BookingOf(first);
        Assert.Equal(id, BookingOf(again));
        var bill = Assert.Single(_node.Payments.Asked);
        Assert.Equal((Peer, 4.5m, PlaceBilling.ReferenceOf(id), PlaceBilling.RequestedByPlace), (bill.Payer, bill.Amount, bill.Reference, bill.RequestedBy));
        Assert.Contains("workshop", bill.Memo, StringComparison.Ordinal);
        Assert.Equal(("pending", 4.5m), (_node.Billing.Of(id)!.State, _node.Billing.Of(id)!.Amount));

        // The payer settles: the booking's payment says so, here and in the view the booking node reads.
        _node.Payments.Settle(PlaceBilling.ReferenceOf(id), "completed");
        var payment = Assert.Single(MineOf(Peer).GetProperty("bookings").EnumerateArray()).GetProperty("payment");
        Assert.Equal(("4.5", "completed"), (payment.GetProperty("amount").GetString(), payment.GetProperty("state").GetString()));
        Assert.Empty(MineOf("https://c.example/actor").GetProperty("bookings").EnumerateArray());
    }

    [Fact]
    public async Task A_booking_waiting_for_a_steward_is_billed_when_approved_in_the_stewards_name_and_not_when_refused()
    {
        var approved = await Decide(Request("studio", "2026-04-02T10:00:00+02:00", "2026-04-02T12:00:00+02:00"));
        var refused = await Decide(Request("studio", "2026-04-03T10:00:00+02:00", "2026-04-03T12:00:00+02:00"));
        Assert.Equal((ExchangeState.Pending, ExchangeState.Pending), (approved.State, refused.State));
        Assert.Empty(_node.Payments.Asked);

        var pending = _node.Approvals.Pending(Admin);
        var first = pending.Single(p => p.View.Booking.Start == At("2026-04-02T10:00:00+02:00")).View.Id;
        var second = pending.Single(p => p.View.Booking.Start == At("2026-04-03T10:00:00+02:00")).View.Id;
        await _node.Approvals.ApproveAsync(Admin, first, CancellationToken.None);
        _node.Approvals.Refuse(Admin, second);

        var bill = Assert.Single(_node.Payments.Asked);
        Assert.Equal((Peer, 5.0m, PlaceBilling.ReferenceOf(first), "root"), (bill.Payer, bill.Amount, bill.Reference, bill.RequestedBy));
        Assert.Null(_node.Billing.Of(second));
    }

    [Fact]
    public async Task A_failing_bill_leaves_the_booking_confirmed_and_records_its_code_which_the_booking_node_sees()
    {
        _node.Payments.FailWith = "payer_not_in_group";
        var request = Request("workshop", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00");
        var decision = await Decide(request);

        Assert.Equal(ExchangeState.Accepted, decision.State);
        var id = BookingOf(decision);
        Assert.Equal("confirmed", _node.Booking(id)!.Data.GetProperty("state").GetString());
        Assert.Equal((BookingPayment.Failed, "payer_not_in_group"), (_node.Billing.Of(id)!.State, _node.Billing.Of(id)!.Code));
        var payment = Assert.Single(MineOf(Peer).GetProperty("bookings").EnumerateArray()).GetProperty("payment");
        Assert.Equal(("failed", "payer_not_in_group"), (payment.GetProperty("state").GetString(), payment.GetProperty("code").GetString()));

        // Another request for the same time is a conflict and bills nothing; the same request decided again (the node
        // stopped before answering) asks the failed bill again.
        _node.Payments.FailWith = null;
        Assert.Equal("booking_conflict", (await Decide(Request("workshop", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"))).Code);
        Assert.Single(_node.Payments.Asked);
        Assert.Equal(id, BookingOf(await Decide(request)));
        Assert.Equal(2, _node.Payments.Asked.Count(b => b.Reference == PlaceBilling.ReferenceOf(id)));
        Assert.Equal("pending", _node.Billing.Of(id)!.State);
    }

    [Fact]
    public async Task No_bill_for_our_own_members_a_resource_without_credit_price_or_credit_switched_off_and_the_price_is_rounded_to_the_unit()
    {
        var own = _node.Place.Book(Alice, Ask("workshop", "2026-04-01T09:00:00+02:00", "2026-04-01T10:00:00+02:00"));
        Assert.Null(await _node.Billing.BillAsync(own.Id, own.Booking, "alice", CancellationToken.None));
        Assert.Equal(ExchangeState.Accepted, (await Decide(Request("van", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00"))).State);
        Assert.Empty(_node.Payments.Asked);

        _node.Payments.Unit = null;
        var off = await Decide(Request("workshop", "2026-04-02T14:00:00+02:00", "2026-04-02T15:00:00+02:00"));
        Assert.Equal(ExchangeState.Accepted, off.State);
        Assert.Empty(_node.Payments.Asked);
        Assert.Null(_node.Billing.Of(BookingOf(off)));

        // A unit without decimals: 1 h 30 × 3 = 4.5 → 5, half away from zero.
        _node.Payments.Unit = new("h", 0);
        await Decide(Request("workshop", "2026-04-03T14:00:00+02:00", "2026-04-03T15:30:00+02:00"));
        Assert.Equal(5m, Assert.Single(_node.Payments.Asked).Amount);
    }
}
