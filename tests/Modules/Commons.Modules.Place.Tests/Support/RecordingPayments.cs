using Commons.Core.Kinds;
using Commons.Core.Payments;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// The credit module's port as the place sees it, recording each bill asked. Idempotent by reference as the contract
/// says; <see cref="FailWith"/> makes the next bills fail with that code, <see cref="Unit"/> null stands for credit off.
/// </summary>
public sealed class RecordingPayments : ICreditPayments
{
    private readonly Dictionary<string, PaymentRequest> _bills = new(StringComparer.Ordinal);

    public record Bill(string Payer, decimal Amount, string Memo, string Reference, string RequestedBy);

    public List<Bill> Asked { get; } = [];
    public CreditUnit? Unit { get; set; } = new("Ħ", 2);
    public string? FailWith { get; set; }

    public Task<PaymentRequest> BillAsync(string payerActor, decimal amount, string memo, string reference, string requestedBy, CancellationToken ct)
    {
        lock (_bills)
        {
            Asked.Add(new Bill(payerActor, amount, memo, reference, requestedBy));
            if (FailWith is { } code) throw new RuleViolationException(code, "Not billed", $"the bill for {reference} failed: {code}");
            if (!_bills.TryGetValue(reference, out var bill)) _bills[reference] = bill = new PaymentRequest(reference, "tx-" + _bills.Count, "pending");
            return Task.FromResult(bill);
        }
    }

    public PaymentRequest? Find(string reference)
    {
        lock (_bills) return _bills.GetValueOrDefault(reference);
    }

    /// <summary>The payer settles (or refuses) the bill, as the credit module would learn it.</summary>
    public void Settle(string reference, string state, string? code = null)
    {
        lock (_bills) _bills[reference] = _bills[reference] with { State = state, Code = code };
    }

    public string? PayFormPath(string payeeActor, decimal? amount, string? memo) => null;
}
