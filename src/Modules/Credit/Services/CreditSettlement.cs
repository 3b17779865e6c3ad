using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Modules.Credit.Kinds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Modules.Credit.Services;

/// <summary>
/// Brings each pending transaction to the state of the request that carries it. The platform tells a module nothing
/// when its outgoing request is answered, so the answer is read from the exchange (<see cref="IExchangeGateway.Find"/>):
/// on every read of a balance and on a pass every <see cref="Period"/>. Accepted: completed (linked into this
/// ledger's chain, both signed activities kept); refused: refused with the peer's code; expired, or unanswered past
/// the group's transfer timeout and <see cref="Grace"/>: expired. Either way what it held is released. The pass also
/// sends the answers still owed for bills this node paid (<see cref="SendAnswer"/>).
/// </summary>
public sealed class CreditSettlement(CreditLedgers ledgers, IExchangeGateway gateway, TimeProvider clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long after the transfer timeout the asking side still waits: the answering side refuses from the timeout on,
    /// so an answer sent just before it has this long to arrive.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);
    private const int Batch = 500;

    /// <summary>Settles every pending transaction whose request was answered or timed out; returns how many moved.</summary>
    public int SettleAll()
    {
        var moved = 0;
        foreach (var (ledger, id, requestId) in ledgers.Read(b => b.OwedAnswers(Batch)))
            if (ledgers.Find(ledger, id) is { } paid) SendAnswer(ledger, paid, requestId, "credit");
            else ledgers.Write(b => { b.AnswerSent(ledger, id); return 0; });
        foreach (var (ledger, id) in ledgers.Read(b => b.PendingTransactions(Batch)))
        {
            try
            {
                if (ledgers.Find(ledger, id) is { } t && !ReferenceEquals(Settle(ledger, t), t)) moved++;
            }
            catch (CommonsException)
            {
                // A transaction a rule will not settle stays pending, listed with the others; the pass goes on.
            }
        }
        return moved;
    }

    /// <summary>The transaction after its request's answer is applied; itself while unanswered (or sent by no request).</summary>
    public CreditTransaction Settle(string ledger, CreditTransaction t)
    {
        if (t.State != TransactionStates.Pending) return t;
        var exchange = t.RequestId is null ? null : gateway.Find(t.RequestId);
        try
        {
            if (exchange is null or { State: ExchangeState.Pending })
                return TimedOut(ledger, t) ? Close(ledger, t, TransactionStates.Expired, CreditCodes.TransferExpired, exchange?.TargetActor ?? "credit") : t;
            switch (exchange.State)
            {
                case ExchangeState.Accepted:
                    var done = ledgers.Complete(ledger, t, c => ledgers.Update(ledger, exchange.TargetActor, c));
                    ledgers.KeepSigned(ledger, done.Id, new SignedPair(exchange.SentJson, exchange.ReceivedJson));
                    return done;
                case ExchangeState.Refused:
                case ExchangeState.Expired:
                    return exchange.State == ExchangeState.Refused
                        ? Close(ledger, t, TransactionStates.Refused, exchange.Code ?? ProblemCodes.RequestRefused, exchange.TargetActor)
                        : Close(ledger, t, TransactionStates.Expired, null, exchange.TargetActor);
                default:
                    return t;
            }
        }
        catch (RuleConflictException e) when (e.Code == CreditCodes.TransactionFinal)
        {
            // Another pass settled it first.
            return ledgers.Find(ledger, t.Id) ?? t;
        }
    }

    /// <summary>
    /// Sends the accepting answer to a bill this ledger paid (<paramref name="paid"/>, completed), and keeps both signed
    /// activities. The payment is stored first, so the answer is owed until it goes: a failure here leaves it owed and the
    /// next pass sends it. An exchange answered meanwhile (accepted: sent already) ends the debt; one refused or expired
    /// by another hand leaves a payment the payee never completed, which the group audit names (missing on one side).
    /// </summary>
    public void SendAnswer(string ledger, CreditTransaction paid, string requestId, string answeredBy)
    {
        var exchange = gateway.Find(requestId);
        try
        {
            if (exchange is { State: ExchangeState.Pending }) exchange = gateway.AnswerPending(requestId, RequestDecision.Accept(CreditService.Result(paid)), answeredBy);
        }
        catch (CommonsException)
        {
            // Stays owed; the next pass sends it (or finds it answered).
            return;
        }
        if (exchange is { State: ExchangeState.Accepted }) ledgers.KeepSigned(ledger, paid.Id, new SignedPair(exchange.ReceivedJson, exchange.SentJson));
        ledgers.Write(b => { b.AnswerSent(ledger, paid.Id); return 0; });
    }

    private bool TimedOut(string ledger, CreditTransaction t) =>
        ledgers.Read(b => b.Binding(ledger) is { } binding ? b.Group(binding.Group) : null) is { } group
        && CreditLedgers.TimedOut(t, group, clock.GetUtcNow(), Grace);

    private CreditTransaction Close(string ledger, CreditTransaction t, string state, string? reason, string by)
    {
        var closed = t with { State = state, Reason = reason };
        ledgers.Update(ledger, by, closed);
        return closed;
    }
}

/// <summary>
/// Runs the settlement pass while the node runs and the module is on. A failed pass is logged and the next one runs:
/// a transfer left pending must not stop the node.
/// </summary>
public sealed class CreditSettlementLoop(CreditSettlement settlement, IModuleSwitches switches, ILogger<CreditSettlementLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CreditSettlement.Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (switches.IsOn(CreditBook.Module)) settlement.SettleAll();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Credit settlement pass failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
