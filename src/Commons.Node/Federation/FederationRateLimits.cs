using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Commons.Node.Federation;

/// <summary>
/// Per-address limits, so one peer cannot flood the node (429 problem with Retry-After): on the inboxes, and on the
/// published views (each computed at its fetch).
/// </summary>
public static class FederationRateLimits
{
    public const string Inbox = "inbox";
    public const string Views = "views";

    public static IServiceCollection AddFederationRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Federation:InboxRequestsPerMinute", 1200);
        var viewsPerMinute = configuration.GetValue("Federation:ViewRequestsPerMinute", 600);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) => RejectAsync(ctx, IsView(ctx.HttpContext) ? viewsPerMinute : perMinute);
            o.AddPolicy(Inbox, http => PerAddress(http, perMinute));
            o.AddPolicy(Views, http => PerAddress(http, viewsPerMinute));
        });
        return services;
    }

    private static bool IsView(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Views;

    /// <summary>One token bucket per client address: <paramref name="perMinute"/> requests, refilled every minute, none queued.</summary>
    public static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) => RateLimitPartition.GetTokenBucketLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>The refusal: 429, Retry-After a minute, a problem document (code too_many_requests).</summary>
    public static async ValueTask RejectAsync(OnRejectedContext ctx, int perMinute)
    {
        var http = ctx.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "60";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = $"more than {perMinute} requests a minute from this address; wait a minute" },
        });
    }
}
