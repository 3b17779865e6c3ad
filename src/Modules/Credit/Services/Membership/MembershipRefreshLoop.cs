using Commons.Core.Modules;
using Commons.Modules.Credit.Kinds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Modules.Credit.Services.Membership;

/// <summary>How often the memberships are applied again (<c>Credit:MembershipRefreshSeconds</c>, 60 by default).</summary>
public sealed record MembershipOptions(TimeSpan Period)
{
    public static readonly MembershipOptions Default = new(TimeSpan.FromSeconds(60));
}

/// <summary>
/// Applies every joined ledger's membership again at each period while the module is on: the group's new terms reach
/// this node, and a follow that failed (a member down, or not joined yet when we joined) is sent again.
/// </summary>
public sealed class MembershipRefreshLoop(CreditMembership membership, IModuleSwitches switches, MembershipOptions options, ILogger<MembershipRefreshLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (switches.IsOn(CreditBook.Module)) await membership.RefreshAllAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Credit membership pass failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
