using Commons.Core.Errors;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>The ledger's rules in real writes: reservations, limits, final transactions, nonces, the hash chain, compensations.</summary>
public sealed class LedgerRuleTests
{
    private static void Refused(string code, Action write)
    {
        var e = Assert.ThrowsAny<CommonsException>(write);
        Assert.True(code == e.Code, $"{e.Code}: {e.Detail}");
    }

    [Fact]
    public void A_payment_reserves_its_amount_and_completing_it_moves_the_balance_and_the_chain()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-a", Tx("t1", A, B, "30.25"));
        Assert.Equal(new AccountState(0m, 30.25m, 0m, 0, HashChain.Genesis), node.Account("ledger-a"));

        var done = node.Write("ledger-a", Tx("t1", A, B, "30.25", TransactionStates.Completed));
        var account = node.Account("ledger-a");
        Assert.Equal((-30.25m, 0m, 1L, done.Link), (account.Balance, account.Reserved, account.Count, account.Head));
        Assert.Equal(HashChain.Genesis, done.Previous);
    }

    [Fact]
    public void The_lowest_limit_counts_what_is_reserved()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-c", Tx("t1", C, A, "30"));
        Refused(CreditCodes.BelowLowestLimit, () => node.Write("ledger-c", Tx("t2", C, A, "20.01")));
        node.Write("ledger-c", Tx("t3", C, A, "20"));
        Assert.Equal(50m, node.Account("ledger-c").Reserved);
        Assert.Equal(2, node.Count("ledger-c"));
    }

    [Fact]
    public void A_refused_or_expired_payment_releases_its_reservation()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-c", Tx("t1", C, A, "50"));
        node.Write("ledger-c", Tx("t1", C, A, "50", TransactionStates.Refused) with { Reason = "above_highest_limit" });
        node.Write("ledger-c", Tx("t2", C, A, "50"));
        node.Write("ledger-c", Tx("t2", C, A, "50", TransactionStates.Expired));
        Assert.Equal(AccountState.Empty with { }, node.Account("ledger-c") with { });
        node.Write("ledger-c", Tx("t3", C, A, "50", TransactionStates.Completed));
        Assert.Equal(-50m, node.Account("ledger-c").Balance);
    }

    [Fact]
    public void Receiving_beyond_the_highest_limit_is_refused_counting_what_is_expected()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-c", Tx("t1", A, C, "40"));
        Refused(CreditCodes.AboveHighestLimit, () => node.Write("ledger-c", Tx("t2", B, C, "10.01", TransactionStates.Completed)));
        node.Write("ledger-c", Tx("t2", B, C, "10", TransactionStates.Completed));
        Assert.Equal((10m, 40m), (node.Account("ledger-c").Balance, node.Account("ledger-c").Expected));
    }

    [Fact]
    public void A_completed_transaction_is_never_changed_or_deleted()
    {
        using var node = new CreditNode().WithGroup();
        var done = node.Write("ledger-a", Tx("t1", A, B, "5", TransactionStates.Completed));
        var before = node.Account("ledger-a");
        Refused(CreditCodes.TransactionFinal, () => node.Records.Update(Admin, "ledger-a", "t1", (done with { Memo = "cake" }).ToJson(), null, null));
        Refused(CreditCodes.TransactionFinal, () => node.Records.Update(Admin, "ledger-a", "t1", (done with { State = TransactionStates.Refused }).ToJson(), null, null));
        Refused(CreditCodes.TransactionFinal, () => node.Records.Delete(Admin, "ledger-a", "t1", null));
        Assert.Equal(before, node.Account("ledger-a"));
    }

    [Fact]
    public void A_pending_transaction_changes_only_its_state()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-a", Tx("t1", A, B, "5"));
        Refused(CreditCodes.TransactionFinal, () => node.Write("ledger-a", Tx("t1", A, B, "6")));
        node.Write("ledger-a", Tx("t1", A, B, "5") with { RequestId = "https://a.example/activities/1" });
        Assert.Equal(5m, node.Account("ledger-a").Reserved);
    }

    [Fact]
    public void A_replayed_nonce_is_refused_and_stores_nothing()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-b", Tx("t1", A, B, "5", TransactionStates.Completed, nonce: "nonce-same"));
        var before = node.Account("ledger-b");
        Refused(CreditCodes.NonceReplayed, () => node.Write("ledger-b", Tx("t2", A, B, "5", TransactionStates.Completed, nonce: "nonce-same")));
        Assert.Equal((1, before), (node.Count("ledger-b"), node.Account("ledger-b")));
        // Another payer's nonce is its own.
        node.Write("ledger-b", Tx("t3", C, B, "5", TransactionStates.Completed, nonce: "nonce-same"));
    }

    [Fact]
    public void A_completed_transaction_must_link_to_the_ledgers_head()
    {
        using var node = new CreditNode().WithGroup();
        var first = node.Write("ledger-a", Tx("t1", A, B, "5", TransactionStates.Completed));
        var stale = Tx("t2", A, B, "5").CompletedAfter(HashChain.Genesis);
        Refused(CreditCodes.ChainMismatch, () => node.Records.Create(Admin, "ledger-a", "t2", stale.ToJson()));
        var forged = Tx("t2", A, B, "5").CompletedAfter(first.Link!) with { Amount = "4" };
        Refused(CreditCodes.ChainMismatch, () => node.Records.Create(Admin, "ledger-a", "t2", forged.ToJson()));
        var second = node.Write("ledger-a", Tx("t2", A, B, "5", TransactionStates.Completed));
        Assert.Equal(first.Link, second.Previous);
    }

    [Fact]
    public void A_compensation_names_a_completed_transaction_with_the_sides_swapped()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-a", Tx("t1", A, B, "5", TransactionStates.Completed));
        node.Write("ledger-a", Tx("p1", A, B, "5"));
        Refused(CreditCodes.CompensationInvalid, () => node.Write("ledger-a", Tx("c1", A, B, "5") with { Compensates = "t1" }));
        Refused(CreditCodes.CompensationInvalid, () => node.Write("ledger-a", Tx("c1", B, A, "5") with { Compensates = "p1" }));
        node.Write("ledger-a", Tx("c1", B, A, "5", TransactionStates.Completed) with { Compensates = "t1" });
        Assert.Equal(0m, node.Account("ledger-a").Balance);
    }

    [Fact]
    public void A_ledger_that_joined_no_group_takes_no_transaction()
    {
        using var node = new CreditNode().WithGroup();
        node.CreateDataset("loose", LedgerKind.KindName);
        Refused(CreditCodes.LedgerNotJoined, () => node.Write("loose", Tx("t1", A, B, "5")));
    }

    [Fact]
    public void Deleting_a_pending_transaction_releases_it_and_frees_its_nonce()
    {
        using var node = new CreditNode().WithGroup();
        node.Write("ledger-a", Tx("t1", A, B, "5"));
        node.Records.Delete(Admin, "ledger-a", "t1", null);
        Assert.Equal(0m, node.Account("ledger-a").Reserved);
        node.Write("ledger-a", Tx("t2", A, B, "5", nonce: "nonce-t1"));
        Assert.Equal(5m, node.Account("ledger-a").Reserved);
    }

    [Fact]
    public async Task Concurrent_payments_against_one_lowest_limit_never_cross_it()
    {
        using var node = new CreditNode().WithGroup();
        // C's lowest balance is −50: of 20 payments of 10 at once, exactly 5 reserve.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
        {
            try
            {
                node.Write("ledger-c", Tx($"t{i}", C, i % 2 == 0 ? A : B, "10"));
                return "reserved";
            }
            catch (CommonsException e)
            {
                return e.Code;
            }
        })));
        Assert.Equal(5, outcomes.Count(o => o == "reserved"));
        Assert.Equal(15, outcomes.Count(o => o == CreditCodes.BelowLowestLimit));
        Assert.Equal((50m, 5), (node.Account("ledger-c").Reserved, node.Count("ledger-c")));
    }
}
