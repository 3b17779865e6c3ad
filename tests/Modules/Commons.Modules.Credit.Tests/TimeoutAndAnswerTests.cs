using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>The group's transfer timeout applied on both sides, and a bill's answer that failed after its payment was stored.</summary>
public sealed class TimeoutAndAnswerTests
{
    private static readonly TimeSpan Timeout = GroupTerms.DefaultTimeout;

    [Fact]
    public async Task An_unanswered_payment_expires_after_the_groups_timeout_and_releases_its_reservation()
    {
        using var net = new CreditPair();
        net.Network.Hold = true;
        var sent = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "40", null, null, default);
        net.NodeA.Clock.Advance(Timeout);
        Assert.Equal(0, net.NodeA.Settlement!.SettleAll());
        Assert.Equal(40m, net.NodeA.Account("ledger").Reserved);

        net.NodeA.Clock.Advance(CreditSettlement.Grace);
        Assert.Equal(1, net.NodeA.Settlement.SettleAll());
        var expired = net.NodeA.Ledgers!.Find("ledger", sent.Id)!;
        Assert.Equal((TransactionStates.Expired, CreditCodes.TransferExpired), (expired.State, expired.Reason));
        Assert.Equal(AccountState.Empty, net.NodeA.Account("ledger"));

        // The request arrives late: B refuses it and stores nothing.
        net.Network.Deliver();
        Assert.Equal((ExchangeState.Refused, CreditCodes.TransferExpired), (net.NodeA.Gateway!.Find(sent.RequestId!)!.State, net.NodeA.Gateway.Find(sent.RequestId!)!.Code));
        Assert.Equal(0, net.NodeB.Count("ledger"));
    }

    [Fact]
    public async Task The_timeout_is_the_groups_own()
    {
        using var net = new CreditPair();
        net.NodeB.Ledgers!.Write(b =>
        {
            b.PutGroup("sel", Doc(CreditPair.Terms.Replace("\"lowest\":\"-100\"", "\"transferTimeoutMinutes\":5,\"lowest\":\"-100\"")));
            return 0;
        });
        net.Network.Hold = true;
        var sent = await net.NodeB.Credit!.PayAsync(Admin, "ledger", A, "1", null, null, default);
        net.NodeB.Clock.Advance(TimeSpan.FromMinutes(5) + CreditSettlement.Grace);
        Assert.Equal(TransactionStates.Expired, net.NodeB.Credit.History(Admin, "ledger").Single(t => t.Id == sent.Id).State);
    }

    [Fact]
    public async Task A_bill_past_the_timeout_is_refused_when_accepted_and_expires_on_the_payees_side()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "7", null, default);
        net.NodeA.Clock.Advance(Timeout);
        Assert.Equal(CreditCodes.TransferExpired, Assert.Throws<RuleConflictException>(() => net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!)).Code);
        Assert.Equal(0, net.NodeA.Count("ledger"));
        Assert.Equal(AccountState.Empty, net.NodeA.Account("ledger"));
        Assert.Equal((TransactionStates.Refused, CreditCodes.TransferExpired),
            (net.NodeB.Credit.History(Admin, "ledger").Single().State, net.NodeB.Credit.History(Admin, "ledger").Single().Reason));
    }

    [Fact]
    public async Task A_bill_paid_whose_answer_failed_stays_owed_and_the_next_pass_sends_it()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "7.25", null, default);
        net.Network.FailAnswers = true;
        var paid = net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!);
        Assert.Equal((TransactionStates.Completed, -7.25m), (paid.State, net.NodeA.Account("ledger").Balance));
        Assert.Single(net.NodeA.Ledgers!.Read(b => b.OwedAnswers(10)));
        Assert.Equal(TransactionStates.Pending, net.NodeB.Credit.History(Admin, "ledger").Single().State);
        // Nobody refuses a bill already paid.
        Assert.Equal(ProblemCodes.ExchangeNotPending, Assert.Throws<Core.Errors.ConflictException>(() => net.NodeA.Credit.RefuseBill(Admin, bill.RequestId!, null)).Code);

        net.Network.FailAnswers = false;
        net.NodeA.Settlement!.SettleAll();
        Assert.Empty(net.NodeA.Ledgers.Read(b => b.OwedAnswers(10)));
        var onB = net.NodeB.Credit.History(Admin, "ledger").Single();
        Assert.Equal((TransactionStates.Completed, 7.25m), (onB.State, net.NodeB.Account("ledger").Balance));
        var signed = await net.NodeA.History!.TransactionAsync(Admin, "ledger", paid.Id, default);
        Assert.Equal((SignatureStates.Verified, SignatureStates.Verified), (signed.Payer.State, signed.Payee.State));
        Assert.Equal(1, net.NodeA.Count("ledger"));
    }

    [Fact]
    public async Task Accepting_again_a_bill_whose_answer_failed_sends_the_answer_and_pays_once()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "3", null, default);
        net.Network.FailAnswers = true;
        net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!);
        net.Network.FailAnswers = false;
        var again = net.NodeA.Credit.AcceptBill(Admin, bill.RequestId!);
        Assert.Equal((TransactionStates.Completed, -3m, 1), (again.State, net.NodeA.Account("ledger").Balance, net.NodeA.Count("ledger")));
        Assert.Equal(TransactionStates.Completed, net.NodeB.Credit.History(Admin, "ledger").Single().State);
        Assert.Equal(ProblemCodes.ExchangeNotPending, Assert.Throws<Core.Errors.ConflictException>(() => net.NodeA.Credit.AcceptBill(Admin, bill.RequestId!)).Code);
    }

    [Fact]
    public async Task Two_members_accepting_the_same_bill_at_once_pay_it_once()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "2", null, default);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            try { return net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!).State; }
            catch (Core.Errors.CommonsException e) { return e.Code; }
        })));
        Assert.Equal(1, outcomes.Count(o => o == TransactionStates.Completed));
        Assert.All(outcomes.Where(o => o != TransactionStates.Completed), o => Assert.Equal(ProblemCodes.ExchangeNotPending, o));
        Assert.Equal((-2m, 1), (net.NodeA.Account("ledger").Balance, net.NodeA.Count("ledger")));
        Assert.Equal(TransactionStates.Completed, net.NodeB.Credit.History(Admin, "ledger").Single().State);
    }
}
