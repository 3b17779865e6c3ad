namespace Commons.Core.Payments;

/// <summary>
/// Payments in the exchange group's unit as another module asks for them (modules never reference each other). The
/// credit module registers the implementation; when no implementation is registered, or the credit module is off, a
/// price in credit stays informative. The place bills a booking organisation for a confirmed credit-priced booking;
/// the map links a credit-priced offer to the pay form.
/// </summary>
public interface ICreditPayments
{
    /// <summary>The unit this node's account is kept in, or null when the credit module is off or no ledger of ours joined a group.</summary>
    CreditUnit? Unit { get; }

    /// <summary>
    /// Bills <paramref name="payerActor"/> (a member node's actor in our group) in this node's name for something it
    /// provided: a <c>credit.bill</c> request from our joined ledger, which a member of the payer accepts or refuses.
    /// <paramref name="reference"/> makes it idempotent: the same reference again returns the bill made for it, nothing
    /// sent twice. <paramref name="requestedBy"/> is who confirmed what is billed (a steward, or the module's name for an
    /// automatic acceptance). Throws a <see cref="Kinds.RuleViolationException"/> with the credit module's code when the
    /// payer is not in the group or the amount does not fit the unit.
    /// </summary>
    Task<PaymentRequest> BillAsync(string payerActor, decimal amount, string memo, string reference, string requestedBy, CancellationToken ct);

    /// <summary>The bill made for <paramref name="reference"/>, with its state as last known; null when none.</summary>
    PaymentRequest? Find(string reference);

    /// <summary>
    /// The site path of the pay form filled with payee, amount and memo (<c>/credit/pay?…</c>), for a link on another
    /// module's page; null when credit is off, no ledger joined a group, or <paramref name="payeeActor"/> is not in it.
    /// </summary>
    string? PayFormPath(string payeeActor, decimal? amount, string? memo);
}

/// <summary>The exchange group's unit: its symbol and how many decimals an amount may have.</summary>
public sealed record CreditUnit(string Symbol, int Precision);

/// <summary>
/// A payment asked through <see cref="ICreditPayments"/>: the credit transaction made for it and its state
/// (<c>pending</c>, <c>completed</c>, <c>refused</c>, <c>expired</c>), with a refusal's code.
/// </summary>
public sealed record PaymentRequest(string Reference, string TransactionId, string State, string? Code = null);
