using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using FsCheck.Xunit;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// Random transfers between the three ledgers of group "sel" through real writes (a refusal by a rule is part of the
/// game): the balances always sum to zero, each stays within its limits and the audit finds nothing; then any single
/// altered field of a transaction or a statement is found, naming it.
/// </summary>
public sealed class AuditPropertyTests
{
    private static readonly string[] Fields = ["payer", "payee", "amount", "unit", "memo", "nonce", "time", "state", "previous", "link"];

    [Property(MaxTest = 20)]
    public bool Valid_transfers_keep_the_sum_at_zero_every_balance_within_limits_and_the_audit_clean(byte[]? steps)
    {
        using var node = new CreditNode().WithGroup();
        Run(node, steps);
        var ledgers = Ledgers(node);
        var group = GroupTerms.Of(Doc(Group));
        return ledgers.Sum(l => l.Statement.Balance) == 0
            && ledgers.All(l => group.Member(l.Statement.Member) is { } m && l.Statement.Balance >= m.Lowest && l.Statement.Balance <= m.Highest)
            && CreditAudit.Check(group, ledgers).Count == 0;
    }

    [Property(MaxTest = 30)]
    public bool Any_single_altered_field_of_a_completed_transaction_is_found_naming_it(byte[]? steps, byte which, byte field)
    {
        using var node = new CreditNode().WithGroup();
        Run(node, [0, 1, 40, .. steps ?? []]);
        var ledgers = Ledgers(node).ToList();
        var completed = ledgers.SelectMany((l, i) => l.Transactions.Where(t => t.State == TransactionStates.Completed).Select(t => (i, t))).ToList();
        var (index, original) = completed[which % completed.Count];
        var altered = Alter(original, Fields[field % Fields.Length]);
        ledgers[index] = ledgers[index] with { Transactions = ledgers[index].Transactions.Select(t => t.Id == original.Id ? altered : t).ToList() };
        return CreditAudit.Check(GroupTerms.Of(Doc(Group)), ledgers).Any(f => f.Transaction == original.Id);
    }

    [Property(MaxTest = 20)]
    public bool Any_altered_statement_is_found_naming_its_member(byte[]? steps, byte which, byte field)
    {
        using var node = new CreditNode().WithGroup();
        Run(node, steps);
        var ledgers = Ledgers(node).ToList();
        var i = which % ledgers.Count;
        var s = ledgers[i].Statement;
        ledgers[i] = ledgers[i] with
        {
            Statement = (field % 4) switch
            {
                0 => s with { Balance = s.Balance + 0.01m },
                1 => s with { Count = s.Count + 1 },
                2 => s with { Head = new string('a', 64) },
                _ => s with { SignatureVerified = false },
            },
        };
        return CreditAudit.Check(GroupTerms.Of(Doc(Group)), ledgers).Any(f => f.Member == s.Member);
    }

    [Fact]
    public void A_transaction_missing_on_one_side_is_named()
    {
        using var node = new CreditNode().WithGroup();
        var t = node.Write("ledger-a", Tx("t1", A, B, "5", TransactionStates.Completed));
        var failures = CreditAudit.Check(GroupTerms.Of(Doc(Group)), Ledgers(node));
        Assert.Contains(failures, f => f.Code == AuditCodes.MissingOnSide && f.Transaction == t.Id && f.Member == B);
        Assert.Contains(failures, f => f.Code == AuditCodes.SumNotZero);
    }

    /// <summary>Three bytes a transfer: payer, payee, amount in cents (up to 25.5 ŧ); pending, received, then completed.</summary>
    private static void Run(CreditNode node, byte[]? steps)
    {
        var bytes = steps ?? [];
        for (var i = 0; i + 2 < Math.Min(bytes.Length, 120); i += 3)
        {
            var (payer, payee) = (MemberLedgers[bytes[i] % 3], MemberLedgers[bytes[i + 1] % 3]);
            if (payer == payee) continue;
            var amount = Amounts.Text((bytes[i + 2] + 1) * 10m / 100m);
            var t = Tx($"t{i}", payer.Actor, payee.Actor, amount);
            try { node.Write(payer.Slug, t); }
            catch (CommonsException) { continue; }
            try
            {
                node.Write(payee.Slug, t with { State = TransactionStates.Completed });
                node.Write(payer.Slug, t with { State = TransactionStates.Completed });
            }
            catch (CommonsException)
            {
                node.Write(payer.Slug, t with { State = TransactionStates.Refused });
            }
        }
    }

    private static IReadOnlyList<MemberLedger> Ledgers(CreditNode node) => MemberLedgers.Select(l =>
    {
        var account = node.Account(l.Slug);
        var records = node.RecordStore.Query(node.DatasetStore.Find(l.Slug)!.Key, new RecordQuery { Limit = 1000 }).Items;
        return new MemberLedger(new BalanceStatement(l.Actor, account.Balance, account.Count, account.Head), records.Select(r => CreditTransaction.Of(r.Data)).ToList());
    }).ToList();

    private static CreditTransaction Alter(CreditTransaction t, string field) => field switch
    {
        "payer" => t with { Payer = t.Payer == C ? A : C },
        "payee" => t with { Payee = t.Payee == C ? B : C },
        "amount" => t with { Amount = Amounts.Text(t.Value + 0.01m) },
        "unit" => t with { Unit = "€" },
        "memo" => t with { Memo = t.Memo + "!" },
        "nonce" => t with { Nonce = t.Nonce + "x" },
        "time" => t with { Time = "2026-03-20T10:00:01+01:00" },
        "state" => t with { State = TransactionStates.Refused },
        "previous" => t with { Previous = new string('b', 64) },
        _ => t with { Link = new string('c', 64) },
    };
}
