using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Audit;

/// <summary>
/// What a member publishes to the group: its balance, how many transactions completed and its chain's head, and
/// whether the statement's signature by the member's node was verified (checked by whoever fetched it).
/// </summary>
public sealed record BalanceStatement(string Member, decimal Balance, long Count, string Head, bool SignatureVerified = true);

/// <summary>One member's statement and the transactions its ledger holds, in any order.</summary>
public sealed record MemberLedger(BalanceStatement Statement, IReadOnlyList<CreditTransaction> Transactions);

/// <summary>One thing the audit found wrong, naming the member or the transaction (or both) concerned.</summary>
public sealed record AuditFailure(string Code, string? Member, string? Transaction, string Detail);

/// <summary>The audit's failure codes.</summary>
public static class AuditCodes
{
    public const string MemberMissing = "member_missing";
    public const string StatementUnsigned = "statement_unsigned";
    public const string SumNotZero = "sum_not_zero";
    public const string LimitCrossed = "limit_crossed";
    public const string LinkInvalid = "link_invalid";
    public const string ChainBroken = "chain_broken";
    public const string ChainMismatch = "chain_mismatch";
    public const string CountMismatch = "count_mismatch";
    public const string BalanceMismatch = "balance_mismatch";
    public const string MissingOnSide = "missing_on_side";
    public const string FieldMismatch = "field_mismatch";
    public const string NotInGroup = "not_in_group";
    /// <summary>A member's ledger views could not be read (unreachable, refused, or not admitted by its policy).</summary>
    public const string MemberUnreachable = "member_unreachable";
    /// <summary>What a member publishes as its statement or its transactions is not one.</summary>
    public const string StatementInvalid = "statement_invalid";
    /// <summary>A completed transaction's payer or payee signed activity is not kept.</summary>
    public const string SignatureMissing = "signature_missing";
    /// <summary>A completed transaction's payer or payee signed activity does not verify, or signs something else.</summary>
    public const string SignatureInvalid = "signature_invalid";
}

/// <summary>
/// The group's audit, pure (no I/O): given each member's statement and the transactions seen on each side, lists
/// every failure — a member without a statement or with an unverified one, balances that do not sum to zero, a
/// balance beyond its limits (stated, or reached along the chain), a link that is not the hash of its transaction, a
/// chain that forks or leaves transactions out, a statement whose head, count or balance is not what the chain gives,
/// a completed transaction one side does not hold as completed, or holds with other fields. Empty: the whole adds up.
/// </summary>
public static class CreditAudit
{
    public static IReadOnlyList<AuditFailure> Check(GroupTerms group, IReadOnlyList<MemberLedger> ledgers)
    {
        var failures = new List<AuditFailure>();
        var byMember = ledgers.GroupBy(l => l.Statement.Member).ToDictionary(g => g.Key, g => g.First());
        foreach (var member in group.Members.Where(m => !byMember.ContainsKey(m.Actor)))
            failures.Add(new(AuditCodes.MemberMissing, member.Actor, null, "no balance statement from this member"));
        foreach (var ledger in ledgers.Where(l => group.Member(l.Statement.Member) is null))
            failures.Add(new(AuditCodes.NotInGroup, ledger.Statement.Member, null, "a statement from a node that is no member of the group"));

        var sum = ledgers.Sum(l => l.Statement.Balance);
        if (sum != 0) failures.Add(new(AuditCodes.SumNotZero, null, null, $"the stated balances sum to {Amounts.Text(sum)}, not zero"));

        foreach (var ledger in ledgers)
            if (group.Member(ledger.Statement.Member) is { } member) CheckMember(member, ledger, failures);
        foreach (var ledger in ledgers) CheckOtherSides(ledger, byMember, group, failures);
        return failures;
    }

    /// <summary>One member's part alone: its statement against its own chain (what a node checks of its own ledger).</summary>
    public static IReadOnlyList<AuditFailure> CheckLedger(GroupMember member, MemberLedger ledger)
    {
        var failures = new List<AuditFailure>();
        CheckMember(member, ledger, failures);
        return failures;
    }

    private static void CheckMember(GroupMember member, MemberLedger ledger, List<AuditFailure> failures)
    {
        var s = ledger.Statement;
        if (!s.SignatureVerified) failures.Add(new(AuditCodes.StatementUnsigned, s.Member, null, "the statement's signature by the member's node is not verified"));
        if (s.Balance < member.Lowest || s.Balance > member.Highest)
            failures.Add(new(AuditCodes.LimitCrossed, s.Member, null,
                $"the stated balance {Amounts.Text(s.Balance)} is outside {Amounts.Text(member.Lowest)}…{Amounts.Text(member.Highest)}"));

        var completed = ledger.Transactions.Where(t => t.State == TransactionStates.Completed).ToList();
        var next = new Dictionary<string, CreditTransaction>();
        foreach (var t in completed)
            if (t.Previous is null || !next.TryAdd(t.Previous, t))
                failures.Add(new(AuditCodes.ChainBroken, s.Member, t.Id, t.Previous is null ? "completed without a previous link" : "a second transaction after the same link"));

        var head = HashChain.Genesis;
        var balance = 0m;
        var count = 0L;
        var walked = new HashSet<string>();
        while (next.TryGetValue(head, out var t) && walked.Add(t.Id))
        {
            var link = HashChain.Link(head, t);
            if (t.Link != link) failures.Add(new(AuditCodes.LinkInvalid, s.Member, t.Id, "the link is not the hash of the transaction after its previous link"));
            balance += t.Payer == member.Actor ? -t.Value : t.Payee == member.Actor ? t.Value : 0m;
            if (t.Payer != member.Actor && t.Payee != member.Actor)
                failures.Add(new(AuditCodes.NotInGroup, s.Member, t.Id, "a transaction of another account in this member's ledger"));
            if (balance < member.Lowest || balance > member.Highest)
                failures.Add(new(AuditCodes.LimitCrossed, s.Member, t.Id, $"the balance reaches {Amounts.Text(balance)} with this transaction"));
            count++;
            head = t.Link ?? link;
        }
        foreach (var t in completed.Where(t => !walked.Contains(t.Id) && t.Previous is not null && next.GetValueOrDefault(t.Previous) == t))
            failures.Add(new(AuditCodes.ChainBroken, s.Member, t.Id, "not reached from the chain's start"));
        if (head != s.Head) failures.Add(new(AuditCodes.ChainMismatch, s.Member, null, $"the stated head {s.Head} is not the chain's {head}"));
        if (count != s.Count) failures.Add(new(AuditCodes.CountMismatch, s.Member, null, $"{s.Count} transactions stated, {count} in the chain"));
        if (balance != s.Balance)
            failures.Add(new(AuditCodes.BalanceMismatch, s.Member, null, $"the stated balance {Amounts.Text(s.Balance)} is not the chain's {Amounts.Text(balance)}"));
    }

    /// <summary>Each completed transaction is completed on the other side too, with the same fields; checked from each side, reported once per side.</summary>
    private static void CheckOtherSides(MemberLedger ledger, Dictionary<string, MemberLedger> byMember, GroupTerms group, List<AuditFailure> failures)
    {
        var me = ledger.Statement.Member;
        foreach (var t in ledger.Transactions.Where(t => t.State == TransactionStates.Completed))
        {
            var otherActor = t.Payer == me ? t.Payee : t.Payer;
            if (group.Member(otherActor) is null)
            {
                failures.Add(new(AuditCodes.NotInGroup, otherActor, t.Id, "the other side is no member of the group"));
                continue;
            }
            if (!byMember.TryGetValue(otherActor, out var other)) continue;
            var theirs = other.Transactions.FirstOrDefault(x => x.Id == t.Id);
            if (theirs is not { State: TransactionStates.Completed })
            {
                failures.Add(new(AuditCodes.MissingOnSide, otherActor, t.Id, $"completed on {me}'s ledger, {(theirs is null ? "absent" : theirs.State)} on {otherActor}'s"));
                continue;
            }
            // Once per pair: the payer's side reports unequal fields.
            if (t.Payer == me && DifferingFields(t, theirs) is { Count: > 0 } fields)
                failures.Add(new(AuditCodes.FieldMismatch, null, t.Id, $"{me} and {otherActor} hold different {string.Join(", ", fields)}"));
        }
    }

    private static List<string> DifferingFields(CreditTransaction a, CreditTransaction b)
    {
        var fields = new List<string>();
        void Compare(string name, string? x, string? y) { if ((x ?? "") != (y ?? "")) fields.Add(name); }
        Compare("payer", a.Payer, b.Payer);
        Compare("payee", a.Payee, b.Payee);
        Compare("amount", a.Amount, b.Amount);
        Compare("unit", a.Unit, b.Unit);
        Compare("memo", a.Memo, b.Memo);
        Compare("nonce", a.Nonce, b.Nonce);
        Compare("time", a.Time, b.Time);
        Compare("compensates", a.Compensates, b.Compensates);
        return fields;
    }
}
