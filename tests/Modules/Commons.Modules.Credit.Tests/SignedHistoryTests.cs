using System.Text.Json.Nodes;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Signatures;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>The doubly signed history: each side keeps the request and the answer, and both proofs check against the right actors.</summary>
public sealed class SignedHistoryTests
{
    [Fact]
    public async Task A_pays_B_and_each_side_shows_both_signatures_verified()
    {
        using var net = new CreditPair();
        var paid = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", "bread", null, default);
        foreach (var node in new[] { net.NodeA, net.NodeB })
        {
            var seen = await node.History!.TransactionAsync(Admin, "ledger", paid.Id, default);
            Assert.Equal((SignatureStates.Verified, A), (seen.Payer.State, seen.Payer.Actor));
            Assert.Equal((SignatureStates.Verified, CreditPair.LedgerB), (seen.Payee.State, seen.Payee.Actor));
            Assert.True(node.Ledgers!.Read(b => b.Signatures("ledger", paid.Id)).Complete);
        }
    }

    [Fact]
    public async Task B_bills_A_and_once_A_accepts_both_sides_hold_both_signatures_verified()
    {
        using var net = new CreditPair();
        var bill = await net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "7.25", "soup", default);
        var pending = await net.NodeB.History!.TransactionAsync(Admin, "ledger", bill.Id, default);
        Assert.Equal((SignatureStates.Missing, SignatureStates.Verified), (pending.Payer.State, pending.Payee.State));

        net.NodeA.Credit!.AcceptBill(Admin, bill.RequestId!);
        foreach (var node in new[] { net.NodeA, net.NodeB })
        {
            var seen = (await node.History!.LatestAsync(Admin, "ledger", 10, default)).Single();
            Assert.Equal((TransactionStates.Completed, SignatureStates.Verified, SignatureStates.Verified), (seen.Transaction.State, seen.Payer.State, seen.Payee.State));
            Assert.Equal((CreditPair.LedgerA, B), (seen.Payer.Actor, seen.Payee.Actor));
        }
    }

    [Fact]
    public async Task A_kept_request_whose_amount_was_changed_or_that_another_key_signed_is_invalid()
    {
        using var net = new CreditPair();
        var paid = await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "5", null, null, default);
        var kept = net.NodeB.Ledgers!.Read(b => b.Signatures("ledger", paid.Id));

        // The amount changed inside the signed request: its proof no longer verifies.
        var altered = JsonNode.Parse(kept.Request!)!.AsObject();
        altered["object"]!["commons:data"]!["amount"] = "500";
        Keep(net.NodeB, paid.Id, kept with { Request = altered.ToJsonString() });
        var seen = await net.NodeB.History!.TransactionAsync(Admin, "ledger", paid.Id, default);
        Assert.Equal((SignatureStates.Invalid, SignatureStates.Verified), (seen.Payer.State, seen.Payee.State));

        // C signs the same request in A's name: not one of A's keys.
        var forged = JsonNode.Parse(kept.Request!)!.AsObject();
        net.Network.Keys.Sign(C, forged);
        forged["proof"]!["verificationMethod"] = C + "#ed25519-key";
        Keep(net.NodeB, paid.Id, kept with { Request = forged.ToJsonString() });
        seen = await net.NodeB.History.TransactionAsync(Admin, "ledger", paid.Id, default);
        Assert.Equal((SignatureStates.Invalid, "unknown_key"), (seen.Payer.State, seen.Payer.Failure));

        // A request signed by A for another transaction does not sign this one.
        var other = await net.NodeA.Credit.PayAsync(Admin, "ledger", B, "5", null, null, default);
        Keep(net.NodeB, paid.Id, kept with { Request = net.NodeB.Ledgers.Read(b => b.Signatures("ledger", other.Id)).Request });
        seen = await net.NodeB.History.TransactionAsync(Admin, "ledger", paid.Id, default);
        Assert.Equal((SignatureStates.Invalid, "content_mismatch"), (seen.Payer.State, seen.Payer.Failure));
    }

    private static void Keep(CreditNode node, string id, SignedPair pair) =>
        node.Ledgers!.Write(b => { b.PutSignatures("ledger", id, pair); return 0; });
}
