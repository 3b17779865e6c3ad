using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;

namespace Commons.Node.Federation;

/// <summary>
/// The background loops of federation: fan-out of new changes to the delivery queue, delivery, inbox processing,
/// the backfill of newly accepted subscriptions, and the expiry of requests whose answer did not come in time. Each
/// wakes when signalled and at least every <see cref="FederationOptions.WorkerPollInterval"/>; a failing round is logged and retried.
/// While the <see cref="FederationGate"/> is closed, delivery and backfill do not run: what is queued waits, unspent.
/// </summary>
public sealed class FederationWorkers(FanOut fanOut, DeliveryProcessor delivery, InboxProcessor inbox, BackfillClient backfill, ExchangeService exchanges,
    WorkSignal signal, FederationGate gate, FederationOptions options, ILogger<FederationWorkers> log) : BackgroundService
{
    // Nothing signals an expiry: the sweep runs every poll interval, which is as precise as a timeout needs.
    private readonly AutoResetSignal _expiry = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Loop("fan-out", signal.FanOut, _ => Task.FromResult(fanOut.RunOnce()), stoppingToken),
        gate.IsOpen ? Loop("delivery", signal.Delivery, delivery.RunOnceAsync, stoppingToken) : Task.CompletedTask,
        Loop("inbox", signal.Inbox, inbox.RunOnceAsync, stoppingToken),
        gate.IsOpen ? Loop("backfill", signal.Backfill, backfill.RunOnceAsync, stoppingToken) : Task.CompletedTask,
        Loop("expiry", _expiry, _ => Task.FromResult(exchanges.ExpireOverdue()), stoppingToken));

    private async Task Loop(string name, AutoResetSignal wake, Func<CancellationToken, Task<int>> round, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var done = await round(ct);
                if (done > 0) continue;
                await wake.WaitAsync(options.WorkerPollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Federation {Loop} round failed", name);
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
