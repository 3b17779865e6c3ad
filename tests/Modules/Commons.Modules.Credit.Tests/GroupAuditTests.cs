using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Changes;
using Commons.Core.Records;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using Commons.Modules.Credit.Views;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>The group audit across member nodes: signed statements and transactions fetched from each ledger's views.</summary>
public sealed class GroupAuditTests
{
    private static async Task Trade(CreditPair net)
    {
        await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", "bread", null, default);
        await net.NodeB.Credit!.PayAsync(Admin, "ledger", C, "3", null, null, default);
        var bill = await net.NodeC.Credit!.BillAsync(Admin, "ledger", A, "4.25", "soup", default);
        net.NodeA.Credit.AcceptBill(Admin, bill.RequestId!);
        await net.NodeC.Credit.PayAsync(Admin, "ledger", B, "1", null, null, default);
    }

    [Fact]
    public async Task A_sound_group_passes_from_every_member()
    {
        using var net = new CreditPair();
        await Trade(net);
        foreach (var node in new[] { net.NodeA, net.NodeB, net.NodeC })
        {
            var result = await node.GroupAudit!.AuditAsync(Admin, "ledger", default);
            Assert.True(result.Passed, string.Join("\n", result.Failures));
            Assert.Equal((3, 4), (result.Members, result.Transactions));
        }
    }

    [Fact]
    public async Task An_altered_transaction_on_one_node_is_named()
    {
        using var net = new CreditPair();
        await Trade(net);
        var t = net.NodeB.Ledgers!.Latest("ledger", 10).First(x => x.Payer == A);
        // Behind the rules' back, as someone editing B's database file would.
        net.NodeB.RecordStore.Commit(net.NodeB.DatasetStore.Find("ledger")!.Key, t.Id, record =>
        {
            var altered = JsonNode.Parse(record!.Data.GetRawText())!.AsObject();
            altered["amount"] = "125.00";
            return new RecordMutation(record with { Data = JsonSerializer.SerializeToElement(altered), Revision = record.Revision + 1 },
                new ChangeDraft(ChangeKind.Update, t.Id, record.Revision + 1, "intruder", Start));
        });

        var result = await net.NodeC.GroupAudit!.AuditAsync(Admin, "ledger", default);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.LinkInvalid && f.Member == B && f.Transaction == t.Id);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.FieldMismatch && f.Transaction == t.Id);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.SignatureInvalid && f.Member == B && f.Transaction == t.Id);
    }

    [Fact]
    public async Task An_altered_balance_statement_is_named_with_its_member()
    {
        using var net = new CreditPair();
        await Trade(net);
        net.NodeC.ModuleStore.Write(CreditBook.Module, d =>
        {
            var book = new CreditBook(d);
            book.PutAccount("ledger", book.Account("ledger") with { Balance = 40m });
            return 0;
        });
        var result = await net.NodeA.GroupAudit!.AuditAsync(Admin, "ledger", default);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.BalanceMismatch && f.Member == C);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.SumNotZero);
    }

    [Fact]
    public async Task A_statement_signed_by_another_key_is_unverified_and_a_missing_signature_is_named()
    {
        using var net = new CreditPair();
        await Trade(net);
        var views = net.NodeB.Views!.ToList();
        views[0] = new ForgedStatement(views[0], net.Network.Keys);
        typeof(CreditNode).GetProperty(nameof(CreditNode.Views))!.SetValue(net.NodeB, views);
        var paid = net.NodeC.Ledgers!.Latest("ledger", 10).First(x => x.Payer == C && x.Payee == B);
        net.NodeC.Ledgers.Write(b => { b.PutSignatures("ledger", paid.Id, b.Signatures("ledger", paid.Id) with { Answer = null }); return 0; });
        net.NodeC.Gateway!.Apply(paid.RequestId!, RequestDecision.Accept(), null);

        var result = await net.NodeA.GroupAudit!.AuditAsync(Admin, "ledger", default);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.StatementUnsigned && f.Member == B);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.SignatureMissing && f.Member == C && f.Transaction == paid.Id);
    }

    [Fact]
    public async Task Only_a_node_of_the_group_reads_a_ledgers_statement_and_transactions()
    {
        using var net = new CreditPair();
        await Trade(net);
        var dataset = net.NodeA.DatasetStore.Find("ledger")!;
        foreach (var view in net.NodeA.Views!)
        {
            Assert.Null(view.Build(new DatasetViewRequest(dataset, view.Name, Outsider, "z.example", new Dictionary<string, string>(), Start)));
            Assert.Null(view.Build(new DatasetViewRequest(dataset, view.Name, null, null, new Dictionary<string, string>(), Start)));
            Assert.NotNull(view.Build(new DatasetViewRequest(dataset, view.Name, C, "c.example", new Dictionary<string, string>(), Start)));
        }
    }

    [Fact]
    public async Task An_unreachable_member_is_named_and_the_others_are_still_audited()
    {
        using var net = new CreditPair();
        await Trade(net);
        net.Network.Ledgers.Remove(CreditPair.LedgerC);
        var result = await net.NodeA.GroupAudit!.AuditAsync(Admin, "ledger", default);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.MemberUnreachable && f.Member == C);
        Assert.DoesNotContain(result.Failures, f => f.Code == AuditCodes.MemberMissing);
        Assert.Contains(result.Failures, f => f.Code == AuditCodes.SumNotZero);
    }

    [Fact]
    public async Task Transactions_come_in_pages_and_all_are_audited()
    {
        using var net = new CreditPair();
        for (var i = 0; i < LedgerTransactionsView.PageSize + 7; i++)
            await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "0.5", null, null, default);
        var result = await net.NodeC.GroupAudit!.AuditAsync(Admin, "ledger", default);
        Assert.True(result.Passed, string.Join("\n", result.Failures));
        Assert.Equal(LedgerTransactionsView.PageSize + 7, result.Transactions);
    }

    /// <summary>B's statement view, re-signed by C's key in B's ledger's name.</summary>
    private sealed class ForgedStatement(IDatasetView real, KeyRing keys) : IDatasetView
    {
        public string Kind => real.Kind;
        public string Name => real.Name;

        public JsonElement? Build(DatasetViewRequest request)
        {
            var doc = JsonNode.Parse(real.Build(request)!.Value.GetRawText())!.AsObject();
            keys.Sign(C, doc);
            doc["proof"]!["verificationMethod"] = CreditPair.LedgerB + "#ed25519-key";
            return JsonSerializer.SerializeToElement(doc);
        }
    }
}
