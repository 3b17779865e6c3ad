using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;

namespace Commons.Modules.Credit.Requests;

/// <summary>
/// <c>credit.bill</c>, sent by the payee's node to the payer's ledger: checked as a payment would be (group, unit,
/// precision, nonce) and left pending for a member of the payer to accept or refuse (<see cref="CreditService.AcceptBill"/>);
/// nothing is stored or reserved until then. Only the payee itself bills (the request is signed by its node's actor).
/// </summary>
public sealed class BillRequestHandler(CreditLedgers ledgers) : IRequestHandler
{
    public string Kind => LedgerKind.KindName;
    public string RequestType => CreditService.BillType;

    public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct) => Task.FromResult(Decide(request));

    private RequestDecision Decide(IncomingRequest request)
    {
        var ledger = request.Dataset.Slug;
        var t = CreditTransaction.FromWire(request.Body, TransactionStates.Pending);
        if (t.Payee != request.RequesterActor)
            return RequestDecision.Refuse(CreditCodes.NotAllowed, "only the payee's node sends its bill");
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
