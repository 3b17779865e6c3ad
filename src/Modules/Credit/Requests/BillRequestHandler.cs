using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;

namespace Commons.Modules.Credit.Requests;

/// <summary>
/// <c>credit.bill</c>, sent by the payee's node to the payer's ledger: checked as a payment would be (group, unit,
/// precision, nonce) and left pending for a member of the payer to accept or refuse (<see cref="CreditService.AcceptBill"/>);
/// nothing is stored or reserved until then. Only the payee itself bills (the request is signed by its node's actor, and
/// its FEP-8b32 proof is checked again here against the payee with the bill's fields in it).
/// </summary>
public sealed class BillRequestHandler(CreditLedgers ledgers, TransactionSignatures signatures) : IRequestHandler
{
    public string Kind => LedgerKind.KindName;
    public string RequestType => CreditService.BillType;

    public async Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
    {
        var ledger = request.Dataset.Slug;
        var t = CreditTransaction.FromWire(request.Body, TransactionStates.Pending);
        if (t.Payee != request.RequesterActor)
            return RequestDecision.Refuse(CreditCodes.NotAllowed, "only the payee's node sends its bill");
        if (await signatures.RequestFailureAsync(request.SignedJson, t, t.Payee, ct) is { } failure)
            return RequestDecision.Refuse(CreditCodes.SignatureInvalid, $"the request's proof does not show the payee's signature of this bill ({failure})");
        var (binding, group) = ledgers.Joined(ledger);
        if (t.Payer != binding.Account)
            return RequestDecision.Refuse(CreditCodes.NotInGroup, $"this ledger keeps the account of {binding.Account}, not of {t.Payer}");
        ledgers.Read(b =>
        {
            LedgerRules.CheckNew(t, group, binding, b, ledger);
            return 0;
        });
        if (CreditLedgers.TimedOut(t, group, request.ReceivedAt))
            return RequestDecision.Refuse(CreditCodes.TransferExpired, $"the bill of {t.Time} is older than the group's timeout");
        return RequestDecision.Pending("waits for a member of the payer to accept or refuse");
    }
}
