using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>Payments and bills between member nodes: reserved, sent as requests, decided by the other side, settled.</summary>
public sealed class TransferTests
{
    [Fact]
    public async Task A_pays_B_both_ledgers_hold_the_same_completed_transaction_each_in_its_own_chain()
    {
        using var net = new CreditPair();
        var paid = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", "bread", null, default);

        Assert.Equal(TransactionStates.Completed, paid.State);
        var onB = net.NodeB.Ledgers!.Find("ledger", paid.Id)!;
        Assert.True(onB.SameTransfer(paid));
        Assert.Equal((TransactionStates.Completed, A), (onB.State, onB.Payer));
        Assert.Equal(new AccountState(-12.50m, 0m, 0m, 1, paid.Link!), net.NodeA.Account("ledger"));
        Assert.Equal(new AccountState(12.50m, 0m, 0m, 1, onB.Link!), net.NodeB.Account("ledger"));
        Assert.Equal(HashChain.Link(HashChain.Genesis, paid), onB.Link);
    }

    [Fact]
    public async Task While_unanswered_the_payment_holds_its_reservation_and_settles_when_the_answer_is_read()
    {
        using var net = new CreditPair();
        net.Network.Hold = true;
        var sent = await net.NodeC.Credit!.PayAsync(Admin, "ledger", A, "30", null, null, default);
        Assert.Equal(TransactionStates.Pending, sent.State);
        var e = await Assert.ThrowsAsync<RuleConflictException>(() => net.NodeC.Credit.PayAsync(Admin, "ledger", B, "20.01", null, null, default));
        Assert.Equal(CreditCodes.BelowLowestLimit, e.Code);

        net.Network.Deliver();
        var balance = net.NodeC.Credit.Balance(Admin, "ledger");
        Assert.Equal(new AccountState(-30m, 0m, 0m, 1, net.NodeC.Ledgers!.Find("ledger", sent.Id)!.Link!), balance);
    }

    [Fact]
    public async Task B_refuses_above_its_highest_limit_A_releases_and_B_stores_nothing()
    {
        using var net = new CreditPair();
        var sent = await net.NodeA.Credit!.PayAsync(Admin, "ledger", C, "50.01", null, null, default);
        Assert.Equal((TransactionStates.Refused, CreditCodes.AboveHighestLimit), (sent.State, sent.Reason));
        Assert.Equal(AccountState.Empty, net.NodeA.Account("ledger"));
        Assert.Equal(0, net.NodeC.Count("ledger"));
    }

    [Fact]
    public async Task An_expired_payment_releases_its_reservation()
    {
        using var net = new CreditPair();
        net.Network.Hold = true;
        var sent = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "40", null, null, default);
        net.NodeA.Gateway!.Expire(sent.RequestId!);
        Assert.Equal(1, net.NodeA.Settlement!.SettleAll());
        Assert.Equal(TransactionStates.Expired, net.NodeA.Ledgers!.Find("ledger", sent.Id)!.State);
        Assert.Equal(AccountState.Empty, net.NodeA.Account("ledger"));
    }

    [Fact]
    public async Task The_same_payment_again_under_another_request_gets_the_same_answer_and_stores_nothing_more()
    {
        using var net = new CreditPair();
        var paid = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "5", null, null, default);
        var first = net.NodeA.Gateway!.Find(paid.RequestId!)!;
        var again = net.NodeA.Gateway.Deliver(paid.RequestId!, asId: paid.RequestId + "-replayed");
        Assert.Equal(ExchangeState.Accepted, again.State);
        Assert.Equal(first.Result!.Value.GetRawText(), again.Result!.Value.GetRawText());
        Assert.Equal((1, 5m), (net.NodeB.Count("ledger"), net.NodeB.Account("ledger").Balance));
    }

    [Fact]
    public async Task A_node_that_is_not_the_payer_cannot_pay_in_its_name()
    {
        using var net = new CreditPair();
        net.Network.Hold = true;
        var sent = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "5", null, null, default);
        // C forwards A's signed body as its own request: the requester is not the payer.
        var forged = new IncomingRequest(net.NodeB.DatasetStore.Find("ledger")!, "https://c.example/activities/1", "credit.pay", C, "c.example",
            net.NodeA.Gateway!.Find(sent.RequestId!)!.Body, Start) { SignedJson = net.NodeA.Gateway.Find(sent.RequestId!)!.SentJson };
        var decision = await new Requests.PayRequestHandler(net.NodeB.Ledgers!, net.NodeB.Signatures!).DecideAsync(forged, default);
        Assert.Equal((ExchangeState.Refused, CreditCodes.NotAllowed), (decision.State, decision.Code));
        Assert.Equal(0, net.NodeB.Count("ledger"));
    }

    [Fact]
    public async Task Paying_outside_the_group_is_refused_before_anything_is_stored()
    {
        using var net = new CreditPair();
        var e = await Assert.ThrowsAsync<RuleViolationException>(() => net.NodeA.Credit!.PayAsync(Admin, "ledger", Outsider, "5", null, null, default));
        Assert.Equal(CreditCodes.NotInGroup, e.Code);
        var tooFine = await Assert.ThrowsAnyAsync<CommonsException>(() => net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "0.001", null, null, default));
        Assert.Equal(CreditCodes.AmountPrecision, tooFine.Code);
        Assert.Equal(0, net.NodeA.Count("ledger"));
    }

    [Fact]
    public async Task B_bills_A_a_member_of_A_accepts_and_both_complete()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "7.25", "soup", default);
        Assert.Equal(TransactionStates.Pending, bill.State);
        Assert.Equal(7.25m, net.NodeB.Account("ledger").Expected);
        Assert.Equal(0, net.NodeA.Count("ledger"));

        var paid = net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!);
        Assert.Equal((TransactionStates.Completed, -7.25m), (paid.State, net.NodeA.Account("ledger").Balance));
        var balance = net.NodeB.Credit.Balance(Admin, "ledger");
        Assert.Equal(new AccountState(7.25m, 0m, 0m, 1, net.NodeB.Ledgers!.Find("ledger", bill.Id)!.Link!), balance);
        Assert.True(net.NodeB.Ledgers.Find("ledger", bill.Id)!.SameTransfer(paid));
    }

    [Fact]
    public async Task A_refused_bill_releases_what_the_payee_expected_and_A_stores_nothing()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "7", null, default);
        net.NodeA.Credit!.RefuseBill(Admin, bill.RequestId!, "not ours");
        Assert.Equal(AccountState.Empty, net.NodeB.Credit.Balance(Admin, "ledger"));
        Assert.Equal((TransactionStates.Refused, ProblemCodes.RequestRefused), (net.NodeB.Ledgers!.Find("ledger", bill.Id)!.State, net.NodeB.Ledgers.Find("ledger", bill.Id)!.Reason));
        Assert.Equal(0, net.NodeA.Count("ledger"));
        Assert.Equal(ProblemCodes.ExchangeNotPending, Assert.Throws<ConflictException>(() => net.NodeA.Credit.AcceptBill(Admin, bill.RequestId!)).Code);
    }

    [Fact]
    public async Task Accepting_a_bill_beyond_the_lowest_limit_refuses_it_with_that_code()
    {
        using var net = new CreditPair();
        var bill = await net.NodeA.Credit!.BillAsync(Admin, "ledger", C, "50.01", null, default);
        Assert.Equal(CreditCodes.BelowLowestLimit, Assert.Throws<RuleConflictException>(() => net.NodeC.Credit!.AcceptBill(Admin, bill.RequestId!)).Code);
        net.NodeA.Credit.Balance(Admin, "ledger");
        Assert.Equal(CreditCodes.BelowLowestLimit, net.NodeA.Ledgers!.Find("ledger", bill.Id)!.Reason);
        Assert.Equal(0, net.NodeC.Count("ledger"));
    }

    [Fact]
    public async Task A_compensating_payment_names_the_one_it_corrects_on_both_sides()
    {
        using var net = new CreditPair();
        var paid = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "9", null, null, default);
        var back = await net.NodeB.Credit!.PayAsync(Admin, "ledger", A, "9", "refund", paid.Id, default);
        Assert.Equal(TransactionStates.Completed, back.State);
        Assert.Equal(paid.Id, net.NodeA.Ledgers!.Find("ledger", back.Id)!.Compensates);
        Assert.Equal((0m, 0m), (net.NodeA.Account("ledger").Balance, net.NodeB.Account("ledger").Balance));
    }

    [Fact]
    public async Task Payments_arriving_at_once_all_complete_in_one_unbroken_chain()
    {
        using var net = new CreditPair();
        var handler = new Requests.PayRequestHandler(net.NodeB.Ledgers!, net.NodeB.Signatures!);
        var ledger = net.NodeB.DatasetStore.Find("ledger")!;
        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
        {
            var t = Tx($"c{i}", A, B, "2.5") with { Time = "2026-03-20T10:00:00+01:00" };
            var id = $"https://a.example/activities/{i}";
            return handler.DecideAsync(new IncomingRequest(ledger, id, "credit.pay", A, "a.example", t.WireBody(), Start)
                { SignedJson = net.Network.SignedRequest(id, A, CreditPair.LedgerB, "credit.pay", t.WireBody()) }, default);
        })));
        Assert.All(decisions, d => Assert.Equal(ExchangeState.Accepted, d.State));
        var account = net.NodeB.Account("ledger");
        Assert.Equal((50m, 20L), (account.Balance, account.Count));
        var (binding, group) = net.NodeB.Ledgers!.Joined("ledger");
        var statement = new Audit.BalanceStatement(binding.Account, account.Balance, account.Count, account.Head);
        Assert.Empty(Audit.CreditAudit.CheckLedger(group.Member(B)!, new Audit.MemberLedger(statement, net.NodeB.Ledgers.Latest("ledger", 100))));
    }
}
