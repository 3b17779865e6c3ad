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
/// ledger's chain); refused: refused with the peer's code; expired: expired. Either way what it held is released.
/// </summary>
public sealed class CreditSettlement(CreditLedgers ledgers, IExchangeGateway gateway)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private const int Batch = 500;

    /// <summary>Settles every pending transaction whose request was answered; returns how many moved.</summary>
    public int SettleAll()
    {
        var moved = 0;
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
        if (t.State != TransactionStates.Pending || t.RequestId is null || gateway.Find(t.RequestId) is not { } exchange) return t;
        try
        {
            switch (exchange.State)
            {
                case ExchangeState.Accepted:
                    return ledgers.Complete(ledger, t, done => ledgers.Update(ledger, exchange.TargetActor, done));
                case ExchangeState.Refused:
                case ExchangeState.Expired:
                    var closed = t with
                    {
                        State = exchange.State == ExchangeState.Refused ? TransactionStates.Refused : TransactionStates.Expired,
                        Reason = exchange.State == ExchangeState.Refused ? exchange.Code ?? ProblemCodes.RequestRefused : null,
                    };
                    ledgers.Update(ledger, exchange.TargetActor, closed);
                    return closed;
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
