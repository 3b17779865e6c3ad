using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;

namespace Commons.Modules.Credit.Requests;

/// <summary>
/// <c>credit.pay</c>, sent by the payer's node to the payee's ledger: the payee's node stores the transaction
/// completed — its rules check the group, the unit's precision and the highest limit in that write — and accepts with
/// its own link for it, or refuses with the rule's code. Only the payer itself asks (the request is signed by its
/// node's actor, and its FEP-8b32 proof checked again here against the payer with the transfer's fields in it). The same nonce again gets the same answer and stores nothing more. A transfer older than the group's
/// timeout is refused (<c>transfer_expired</c>): its payer expires it. The payer's signed request is kept with the
/// transaction (the answer joins it once sent). Body: the transaction's agreed
/// fields (<see cref="CreditTransaction.WireBody"/>); result: <see cref="CreditService.Result"/>.
/// </summary>
public sealed class PayRequestHandler(CreditLedgers ledgers, TransactionSignatures signatures) : IRequestHandler
{
    public string Kind => LedgerKind.KindName;
    public string RequestType => CreditService.PayType;

    public async Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
    {
        var ledger = request.Dataset.Slug;
        var t = CreditTransaction.FromWire(request.Body, TransactionStates.Completed);
        if (t.Payer != request.RequesterActor)
            return RequestDecision.Refuse(CreditCodes.NotAllowed, "only the payer's node sends its payment");
        if (await signatures.RequestFailureAsync(request.SignedJson, t, t.Payer, ct) is { } failure)
            return RequestDecision.Refuse(CreditCodes.SignatureInvalid, $"the request's proof does not show the payer's signature of this transfer ({failure})");
        var (binding, group) = ledgers.Joined(ledger);
        if (t.Payee != binding.Account)
            return RequestDecision.Refuse(CreditCodes.NotInGroup, $"this ledger keeps the account of {binding.Account}, not of {t.Payee}");
        if (ledgers.Read(b => b.NonceUsedBy(ledger, t.Payer, t.Nonce)) is { } used)
            return ledgers.Find(ledger, used) is { State: TransactionStates.Completed } earlier && earlier.SameTransfer(t)
                ? RequestDecision.Accept(CreditService.Result(earlier))
                : RequestDecision.Refuse(CreditCodes.NonceReplayed, $"the payer already used this nonce for transaction {used}");
        if (CreditLedgers.TimedOut(t, group, request.ReceivedAt))
            return RequestDecision.Refuse(CreditCodes.TransferExpired, $"the transfer of {t.Time} is older than the group's timeout");
        var done = ledgers.Complete(ledger, t with { RequestId = request.RequestId }, c => ledgers.Create(ledger, request.RequesterActor, c));
        ledgers.KeepSigned(ledger, done.Id, new SignedPair(request.SignedJson, null));
        return RequestDecision.Accept(CreditService.Result(done));
    }
}
