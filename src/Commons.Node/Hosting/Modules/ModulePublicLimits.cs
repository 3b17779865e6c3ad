using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Commons.Node.Hosting.Modules;

/// <summary>
/// The rate limit of the modules' public endpoints (<c>/{name}/public</c>): a per-address token bucket, so one address
/// cannot guess tokens or load the node through a URL that needs no sign-in. Over it: 429 problem with Retry-After.
/// </summary>
public sealed class ModulePublicLimits(int perMinute) : IRateLimiterPolicy<string>
{
    public const string Policy = "module-public";
    public const string Setting = "Modules:PublicRequestsPerMinute";
    public const int DefaultPerMinute = 120;

    public static void Add(RateLimiterOptions options, IConfiguration configuration) =>
        options.AddPolicy(Policy, new ModulePublicLimits(configuration.GetValue(Setting, DefaultPerMinute)));

    public RateLimitPartition<string> GetPartition(HttpContext http) => RateLimitPartition.GetTokenBucketLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (ctx, _) =>
    {
        var http = ctx.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "60";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = $"more than {perMinute} requests a minute from this address; wait a minute" },
        });
    };
}
