using Commons.Core.Modules;
using Commons.Modules.Committee.Kinds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Modules.Committee.Services;

/// <summary>Closes the proposals whose time has come while the node runs and the module is on; a failed pass is logged and the next one runs.</summary>
public sealed class CommitteeClosingLoop(CommitteeClosing closing, IModuleSwitches switches, ILogger<CommitteeClosingLoop> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (switches.IsOn(CommitteeBook.Module)) closing.CloseDue();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Committee closing pass failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
