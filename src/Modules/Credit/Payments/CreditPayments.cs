using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Payments;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;

namespace Commons.Modules.Credit.Payments;

/// <summary>
/// <see cref="ICreditPayments"/> for the other modules: bills in this node's name from its joined ledger (the first
/// joined one by key when there are several), found again by the caller's reference.
/// <list type="bullet">
/// <item>Who asks: no member signs in for another module's bill. The module has already decided (a steward confirmed a
/// booking), so the ledger is written through the decided path with <c>requestedBy</c> as the writer, and the request
/// goes through the gateway with <see cref="ModuleCaller"/>: a member-role caller named <c>requestedBy</c> holding only
/// the write scope, which is all the gateway checks; the exchange records who confirmed it.</item>
/// <item>Idempotent by reference: the transaction's id and nonce are digests of the reference, so the same reference
/// always names the same transaction. Asked again, the kept transaction is returned; one stored but never sent (the
/// node stopped in between) is sent then. A gate per reference keeps two callers from racing.</item>
/// </list>
/// </summary>
public sealed class CreditPayments(CreditLedgers ledgers, CreditSettlement settlement, IExchangeGateway gateway, IModuleSwitches switches, TimeProvider clock)
    : ICreditPayments
{
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public CreditUnit? Unit => Joined() is { } j ? new CreditUnit(j.Group.Symbol, j.Group.Precision) : null;

    /// <summary>The caller a module-originated request goes with: named after who confirmed it, a member, write scope only.</summary>
    public static Caller ModuleCaller(string requestedBy) => new(requestedBy, MemberRole.Member, TokenScopes.Write);

    public async Task<PaymentRequest> BillAsync(string payerActor, decimal amount, string memo, string reference, string requestedBy, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentException.ThrowIfNullOrEmpty(requestedBy);
        var (ledger, binding, group) = Joined()
            ?? throw new RuleConflictException(CreditCodes.LedgerNotJoined, "No group", "no ledger of this node has joined an exchange group, or credit is off");
        var payer = group.Member(payerActor);
        if (payer is null || payer.Actor == binding.Account)
            throw new RuleViolationException(CreditCodes.NotInGroup, "Not in the group", $"{payerActor} is no other member of the group", "payer");
        var text = AmountText(amount, group.Precision);
        var gate = Gates[(uint)StringComparer.Ordinal.GetHashCode(reference) % Gates.Length];
        await gate.WaitAsync(ct);
        try
        {
            var t = ledgers.Find(ledger, TransactionId(reference));
            if (t is null)
            {
                t = new CreditTransaction
                {
                    Id = TransactionId(reference), Payer = payer.Actor, Payee = binding.Account, Amount = text, Unit = group.Symbol, Memo = memo,
                    Nonce = Digest("nonce|" + reference), Time = clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
                    State = TransactionStates.Pending,
                };
                ledgers.Create(ledger, requestedBy, t);
            }
            if (t is { State: TransactionStates.Pending, RequestId: null })
                t = await SendAsync(ledger, t, payer.Ledger, requestedBy, ct);
            return Shown(reference, settlement.Settle(ledger, t));
        }
        finally
        {
            gate.Release();
        }
    }

    public PaymentRequest? Find(string reference)
    {
        if (string.IsNullOrEmpty(reference) || Joined() is not { } j) return null;
        return ledgers.Find(j.Ledger, TransactionId(reference)) is { } t ? Shown(reference, settlement.Settle(j.Ledger, t)) : null;
    }

    public string? PayFormPath(string payeeActor, decimal? amount, string? memo)
    {
        if (Joined() is not { } j || j.Group.Member(payeeActor) is null || payeeActor == j.Binding.Account) return null;
        var query = new StringBuilder("/credit/pay?payee=").Append(Uri.EscapeDataString(payeeActor));
        if (amount is { } a) query.Append("&amount=").Append(Uri.EscapeDataString(a.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(memo)) query.Append("&memo=").Append(Uri.EscapeDataString(memo));
        return query.ToString();
    }

    private async Task<CreditTransaction> SendAsync(string ledger, CreditTransaction t, string payerLedger, string requestedBy, CancellationToken ct)
    {
        Exchange sent;
        try
        {
            sent = await gateway.SendAsync(ModuleCaller(requestedBy), payerLedger, CreditService.BillType, t.WireBody(), ct);
        }
        catch (CommonsException e)
        {
            ledgers.Update(ledger, requestedBy, t with { State = TransactionStates.Refused, Reason = e.Code });
            throw;
        }
        var asked = t with { RequestId = sent.Id };
        ledgers.Update(ledger, requestedBy, asked);
        return asked;
    }

    private (string Ledger, LedgerBinding Binding, GroupTerms Group)? Joined()
    {
        if (!switches.IsOn(CreditBook.Module)) return null;
        foreach (var dataset in ledgers.All())
            if (ledgers.Read(b => b.Binding(dataset.Slug) is { } binding && b.Group(binding.Group) is { } group ? (binding, group) : ((LedgerBinding, GroupTerms)?)null) is { } j)
                return (dataset.Slug, j.Item1, j.Item2);
        return null;
    }

    /// <summary>The amount as the unit writes it: exactly its precision's decimals; <c>amount_precision</c> when it has more, <c>amount_not_positive</c> at zero or less.</summary>
    internal static string AmountText(decimal amount, int precision)
    {
        if (amount <= 0m)
            throw new RuleViolationException(CreditCodes.AmountNotPositive, "Not positive", "an amount is above zero", "amount");
        if (decimal.Round(amount, precision) != amount)
            throw new RuleViolationException(CreditCodes.AmountPrecision, "Too many decimals", $"the unit has {precision} decimals", "amount");
        return amount.ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    internal static string TransactionId(string reference) => "tx-" + Digest("payment|" + reference);

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static PaymentRequest Shown(string reference, CreditTransaction t) => new(reference, t.Id, t.State, t.Reason);
}
