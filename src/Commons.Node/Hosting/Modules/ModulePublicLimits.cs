using System.Threading.RateLimiting;
using Commons.Node.Federation;
using Microsoft.AspNetCore.RateLimiting;

namespace Commons.Node.Hosting.Modules;

/// <summary>
/// The rate limit of the modules' public endpoints (<c>/{name}/public</c>): a token bucket per client address, as the
/// inboxes have, so one address cannot guess tokens or load the node through a URL that needs no sign-in.
/// </summary>
public sealed class ModulePublicLimits(int perMinute) : IRateLimiterPolicy<string>
{
    public const string Policy = "module-public";
    public const string Setting = "Modules:PublicRequestsPerMinute";
    public const int DefaultPerMinute = 120;

    public static void Add(RateLimiterOptions options, IConfiguration configuration) =>
        options.AddPolicy(Policy, new ModulePublicLimits(configuration.GetValue(Setting, DefaultPerMinute)));

    public RateLimitPartition<string> GetPartition(HttpContext http) => FederationRateLimits.PerAddress(http, perMinute);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (ctx, _) => FederationRateLimits.RejectAsync(ctx, perMinute);
}
