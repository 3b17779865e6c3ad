using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Payments;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Payments;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// <see cref="ICreditPayments"/> as another module uses it: B (the provider) bills A in its own name from its joined
/// ledger, by reference, and A's member accepts or refuses; each node on its own real store.
/// </summary>
public sealed class PaymentsTests
{
    private sealed class Switches(bool on) : IModuleSwitches
    {
        public bool IsOn(string module) => on && module == CreditBook.Module;
    }

    private static CreditPayments PaymentsOf(CreditNode node, bool on = true) =>
        new(node.Ledgers!, node.Settlement!, node.Gateway!, new Switches(on), node.Clock);

    private static int Sent(CreditNode node) => node.Gateway!.Outgoing(CreditService.BillType, null, 100).Count;

    [Fact]
    public void The_unit_is_the_joined_groups_and_there_is_none_while_credit_is_off_or_nothing_joined()
    {
        using var net = new CreditPair();
        Assert.Equal(new CreditUnit("ŧ", 2), PaymentsOf(net.NodeB).Unit);
        Assert.Null(PaymentsOf(net.NodeB, on: false).Unit);
        using var lone = new CreditNode().OnNetwork(new LoopbackNetwork(), Outsider, "https://z.example/datasets/ledger");
        lone.CreateDataset("ledger", LedgerKind.KindName);
        Assert.Null(PaymentsOf(lone).Unit);
        Assert.Null(PaymentsOf(lone).Find("booking:1"));
        Assert.Null(PaymentsOf(lone).PayFormPath(A, 1m, null));
    }

    [Fact]
    public async Task B_bills_A_in_its_own_name_A_accepts_and_the_reference_finds_it_completed_on_both_sides()
    {
        using var net = new CreditPair();
        var payments = PaymentsOf(net.NodeB);
        var bill = await payments.BillAsync(A, 7.5m, "Studio, 2 h", "place:booking-1", "steward-b", default);

        Assert.Equal(("place:booking-1", TransactionStates.Pending, null), (bill.Reference, bill.State, bill.Code));
        var onB = net.NodeB.Ledgers!.Find("ledger", bill.TransactionId)!;
        Assert.Equal((A, B, "7.50", "ŧ", "Studio, 2 h"), (onB.Payer, onB.Payee, onB.Amount, onB.Unit, onB.Memo));
        var request = net.NodeB.Gateway!.Find(onB.RequestId!)!;
        Assert.Equal(("steward-b", CreditService.BillType, CreditPair.LedgerA), (request.RequestedBy, request.RequestType, request.TargetActor));
        Assert.Equal(7.5m, net.NodeB.Account("ledger").Expected);

        net.NodeA.Credit!.AcceptBill(Admin, onB.RequestId!);
        Assert.Equal(new PaymentRequest("place:booking-1", bill.TransactionId, TransactionStates.Completed), payments.Find("place:booking-1"));
        Assert.Equal((7.5m, 0m), (net.NodeB.Account("ledger").Balance, net.NodeB.Account("ledger").Expected));
        Assert.Equal(-7.5m, net.NodeA.Account("ledger").Balance);
        Assert.Equal(TransactionStates.Completed, net.NodeA.Ledgers!.Find("ledger", bill.TransactionId)!.State);
    }

    [Fact]
    public async Task The_same_reference_again_returns_the_same_bill_and_sends_nothing_twice()
    {
        using var net = new CreditPair();
        var payments = PaymentsOf(net.NodeB);
        var first = await payments.BillAsync(A, 3m, "soup", "place:booking-2", "steward-b", default);
        var again = await payments.BillAsync(A, 3m, "soup", "place:booking-2", "steward-b", default);
        Assert.Equal(first, again);
        Assert.Equal((1, 1), (net.NodeB.Count("ledger"), Sent(net.NodeB)));
        Assert.Equal(3m, net.NodeB.Account("ledger").Expected);
    }

    [Fact]
    public async Task Twelve_callers_at_once_with_one_reference_make_one_bill()
    {
        using var net = new CreditPair();
        var payments = PaymentsOf(net.NodeB);
        var bills = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => payments.BillAsync(A, 2m, null!, "place:booking-3", "steward-b", default))));
        Assert.Single(bills.Select(b => b.TransactionId).Distinct());
        Assert.Equal((1, 1), (net.NodeB.Count("ledger"), Sent(net.NodeB)));
    }

    [Fact]
    public async Task A_refused_bill_is_found_refused_with_its_code_and_nothing_is_expected_any_more()
    {
        using var net = new CreditPair();
        var payments = PaymentsOf(net.NodeB);
        var bill = await payments.BillAsync(A, 4m, "soup", "place:booking-4", "steward-b", default);
        net.NodeA.Credit!.RefuseBill(Admin, net.NodeB.Ledgers!.Find("ledger", bill.TransactionId)!.RequestId!, "not ours");
        Assert.Equal(new PaymentRequest("place:booking-4", bill.TransactionId, TransactionStates.Refused, ProblemCodes.RequestRefused), payments.Find("place:booking-4"));
        Assert.Equal(0m, net.NodeB.Account("ledger").Expected);
        Assert.Null(payments.Find("place:unknown"));
    }

    [Theory]
    [InlineData(Outsider, "1", CreditCodes.NotInGroup)]
    [InlineData(B, "1", CreditCodes.NotInGroup)]
    [InlineData(A, "1.001", CreditCodes.AmountPrecision)]
    [InlineData(A, "0", CreditCodes.AmountNotPositive)]
    [InlineData(A, "-2", CreditCodes.AmountNotPositive)]
    public async Task A_payer_outside_the_group_or_ourselves_or_an_amount_that_does_not_fit_is_refused_and_nothing_is_stored_or_sent(string payer, string amount, string code)
    {
        using var net = new CreditPair();
        var e = await Assert.ThrowsAsync<RuleViolationException>(() => PaymentsOf(net.NodeB).BillAsync(payer, Amounts.Parse(amount), "x", "ref-" + code, "steward-b", default));
        Assert.Equal(code, e.Code);
        Assert.Equal((0, 0), (net.NodeB.Count("ledger"), Sent(net.NodeB)));
        Assert.Equal(0, net.NodeA.Count("ledger"));
    }

    [Fact]
    public async Task Billing_while_credit_is_off_is_refused_as_not_joined()
    {
        using var net = new CreditPair();
        var e = await Assert.ThrowsAsync<RuleConflictException>(() => PaymentsOf(net.NodeB, on: false).BillAsync(A, 1m, "x", "place:booking-5", "steward-b", default));
        Assert.Equal(CreditCodes.LedgerNotJoined, e.Code);
        Assert.Equal(0, net.NodeB.Count("ledger"));
    }

    [Fact]
    public async Task A_bill_stored_but_never_sent_is_sent_when_its_reference_comes_again()
    {
        using var net = new CreditPair();
        var stored = new CreditTransaction
        {
            Id = CreditPayments.TransactionId("place:booking-6"), Payer = A, Payee = B, Amount = "5.00", Unit = "ŧ", Nonce = Guid.NewGuid().ToString("N"),
            Time = "2026-03-20T10:00:00.000+00:00", State = TransactionStates.Pending,
        };
        net.NodeB.Ledgers!.Create("ledger", "steward-b", stored);
        Assert.Equal(0, Sent(net.NodeB));

        var bill = await PaymentsOf(net.NodeB).BillAsync(A, 5m, "x", "place:booking-6", "steward-b", default);
        Assert.Equal((stored.Id, TransactionStates.Pending), (bill.TransactionId, bill.State));
        Assert.Equal((1, 1), (net.NodeB.Count("ledger"), Sent(net.NodeB)));
        Assert.NotNull(net.NodeB.Ledgers.Find("ledger", stored.Id)!.RequestId);
    }

    [Fact]
    public void The_pay_form_path_is_given_for_another_member_only_with_its_fields_escaped()
    {
        using var net = new CreditPair();
        var payments = PaymentsOf(net.NodeA);
        Assert.Equal("/credit/pay?payee=https%3A%2F%2Fb.example%2Factor&amount=12.5&memo=Salle%20%26%20caf%C3%A9",
            payments.PayFormPath(B, 12.5m, "Salle & café"));
        Assert.Equal("/credit/pay?payee=https%3A%2F%2Fb.example%2Factor", payments.PayFormPath(B, null, null));
        Assert.Null(payments.PayFormPath(Outsider, 1m, null));
        Assert.Null(payments.PayFormPath(A, 1m, null));
        Assert.Null(PaymentsOf(net.NodeA, on: false).PayFormPath(B, 1m, null));
    }
}
