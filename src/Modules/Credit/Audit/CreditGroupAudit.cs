using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Services;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;
using Commons.Modules.Credit.Views;

namespace Commons.Modules.Credit.Audit;

/// <summary>
/// A group-wide audit seen from one of our ledgers: the group, how many members and completed transactions were
/// looked at, and every failure, each naming its member or transaction (<see cref="AuditCodes"/>). Empty: it adds up.
/// </summary>
public sealed record GroupAuditResult(string Ledger, string Group, int Members, int Transactions, IReadOnlyList<AuditFailure> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// The group audit: every member's signed balance statement and transactions, fetched from its ledger's views
/// (<see cref="LedgerStatementView"/>, <see cref="LedgerTransactionsView"/>) signed by this node, or read here for our
/// own ledger; each statement's proof checked against its ledger's actor; then the pure <see cref="CreditAudit"/> across
/// members (both sides, sum zero, limits, chains) and both signatures of every completed transaction on each side.
/// A member's statement is read before and after its transactions and again while the two differ (at most
/// <see cref="Attempts"/> times), so a member trading meanwhile is seen at one point of its chain.
/// </summary>
public sealed class CreditGroupAudit(CreditLedgers ledgers, DatasetService datasets, CreditSettlement settlement, IRemoteDatasetViews views,
    IObjectProofs proofs, TransactionSignatures signatures)
{
    private const int Attempts = 3;
    private const int MaxPages = 10_000;

    public async Task<GroupAuditResult> AuditAsync(Caller caller, string ledger, CancellationToken ct)
    {
        datasets.Get(caller, ledger, AccessLevel.Read);
        settlement.SettleAll();
        var (binding, group) = ledgers.Joined(ledger);
        var failures = new List<AuditFailure>();
        var seen = new List<(MemberLedger Ledger, IReadOnlyList<(CreditTransaction T, SignedPair Pair)> Signed)>();
        foreach (var member in group.Members)
        {
            try
            {
                seen.Add(member.Actor == binding.Account ? Own(ledger, binding, group) : await RemoteAsync(binding.Group, member, ct));
            }
            catch (CommonsException e)
            {
                failures.Add(new(AuditCodes.MemberUnreachable, member.Actor, null, $"its ledger's views could not be read: {e.Detail} ({e.Code})"));
            }
        }
        var unreachable = failures.Select(f => f.Member).ToHashSet();
        failures.AddRange(CreditAudit.Check(group, seen.Select(s => s.Ledger).ToList())
            .Where(f => !(f.Code == AuditCodes.MemberMissing && unreachable.Contains(f.Member))));

        var cache = new Dictionary<string, ProofCheck>();
        foreach (var (memberLedger, signed) in seen)
            foreach (var (t, pair) in signed.Where(s => s.T.State == TransactionStates.Completed))
            {
                var check = await signatures.CheckAsync(group, t, pair, ct, cache);
                foreach (var (side, status) in new[] { ("payer", check.Payer), ("payee", check.Payee) }.Where(s => !s.Item2.Verified))
                    failures.Add(new(status.State == SignatureStates.Missing ? AuditCodes.SignatureMissing : AuditCodes.SignatureInvalid,
                        memberLedger.Statement.Member, t.Id,
                        $"the {side}'s signature held by {memberLedger.Statement.Member} is {status.State}{(status.Failure is { } why ? $" ({why})" : "")}"));
            }
        var completed = seen.SelectMany(s => s.Ledger.Transactions).Where(t => t.State == TransactionStates.Completed).Select(t => t.Id).Distinct().Count();
        return new GroupAuditResult(ledger, binding.Group, group.Members.Count, completed, failures);
    }

    private (MemberLedger, IReadOnlyList<(CreditTransaction, SignedPair)>) Own(string ledger, LedgerBinding binding, GroupTerms group)
    {
        var account = ledgers.Account(ledger);
        var transactions = ledgers.Latest(ledger, int.MaxValue);
        var statement = new BalanceStatement(binding.Account, account.Balance, account.Count, account.Head);
        return (new MemberLedger(statement, transactions), transactions.Select(t => (t, signatures.PairOf(ledger, t))).ToList());
    }

    private async Task<(MemberLedger, IReadOnlyList<(CreditTransaction, SignedPair)>)> RemoteAsync(string group, GroupMember member, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await StatementAsync(group, member, ct);
            var signed = await TransactionsAsync(member, ct);
            var after = await StatementAsync(group, member, ct);
            if (before == after || attempt == Attempts)
                return (new MemberLedger(after, signed.Select(s => s.Item1).ToList()), signed);
        }
    }

    private async Task<BalanceStatement> StatementAsync(string group, GroupMember member, CancellationToken ct)
    {
        var doc = await views.FetchAsync(member.Ledger, LedgerStatementView.ViewName, new Dictionary<string, string>(), ct);
        var check = await proofs.VerifyAsync(doc, member.Ledger, ct);
        return StatementDocument.Read(doc, group, member.Ledger, member.Actor, check.Valid)
            ?? throw new RuleConflictException(AuditCodes.StatementInvalid, "Not a statement", $"what {member.Ledger} publishes is not its statement for group {group}");
    }

    private async Task<List<(CreditTransaction, SignedPair)>> TransactionsAsync(GroupMember member, CancellationToken ct)
    {
        var all = new List<(CreditTransaction, SignedPair)>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = cursor is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["after"] = cursor };
            var doc = await views.FetchAsync(member.Ledger, LedgerTransactionsView.ViewName, query, ct);
            try
            {
                foreach (var item in doc.GetProperty("items").EnumerateArray())
                    all.Add((CreditTransaction.Of(item.GetProperty("transaction")), new SignedPair(Text(item, "request"), Text(item, "answer"))));
                cursor = doc.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                throw new RuleConflictException(AuditCodes.StatementInvalid, "Not a transaction list", $"what {member.Ledger} lists as its transactions is malformed");
            }
            if (cursor is null) return all;
        }
        return all;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
