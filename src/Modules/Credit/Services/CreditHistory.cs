using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Modules.Credit.Signatures;

namespace Commons.Modules.Credit.Services;

/// <summary>
/// The doubly signed history for pages and the API: a ledger's transactions, each with the payer's and the payee's
/// signature checked again now (<see cref="SignedTransaction"/>: the transaction, then <c>Payer</c> and <c>Payee</c>,
/// each a <see cref="SignatureStatus"/> whose <c>State</c> is <c>verified</c>, <c>invalid</c> or <c>missing</c>).
/// Whoever may read the ledger reads it; answers arrived meanwhile are settled first.
/// </summary>
public sealed class CreditHistory(CreditLedgers ledgers, DatasetService datasets, CreditSettlement settlement, TransactionSignatures signatures)
{
    /// <summary>One transaction of the ledger with both signatures' status; not found when the ledger holds no such transaction.</summary>
    public async Task<SignedTransaction> TransactionAsync(Caller caller, string ledger, string id, CancellationToken ct)
    {
        datasets.Get(caller, ledger, AccessLevel.Read);
        settlement.SettleAll();
        var t = ledgers.Find(ledger, id) ?? throw new NotFoundException($"no transaction '{id}' in ledger '{ledger}'");
        return await signatures.CheckAsync(ledgers.Joined(ledger).Group, t, signatures.PairOf(ledger, t), ct);
    }

    /// <summary>The ledger's latest transactions, newest first (at most <paramref name="limit"/>, up to 200), each with both signatures' status.</summary>
    public async Task<IReadOnlyList<SignedTransaction>> LatestAsync(Caller caller, string ledger, int limit, CancellationToken ct)
    {
        datasets.Get(caller, ledger, AccessLevel.Read);
        settlement.SettleAll();
        var group = ledgers.Joined(ledger).Group;
        var checkedOnes = new List<SignedTransaction>();
        foreach (var t in ledgers.Latest(ledger, Math.Clamp(limit, 1, 200)))
            checkedOnes.Add(await signatures.CheckAsync(group, t, signatures.PairOf(ledger, t), ct));
        return checkedOnes;
    }
}
