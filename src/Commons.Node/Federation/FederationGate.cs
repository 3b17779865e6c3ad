using Commons.Core.Errors;
using Commons.Node.Hosting;

namespace Commons.Node.Federation;

/// <summary>
/// Whether this node federates: not while it listens beyond loopback without Commons:PublicUrl (see
/// <see cref="PublicAddress"/>). Closed, it still serves its members (API, pages, CLI), but peers get 503 from every
/// federation endpoint, following is refused, and the delivery and backfill loops wait, so nothing queued is lost or
/// sent under an address nobody can reach.
/// </summary>
public sealed class FederationGate(PublicAddress address)
{
    public bool IsOpen => address.Federates;

    /// <summary>Why it is closed (for administrators: the log, the dashboard), or null.</summary>
    public string? ClosedBecause => address.MissingBecause;

    /// <exception cref="FederationOffException">The gate is closed.</exception>
    public void EnsureOpen()
    {
        if (!IsOpen) throw new FederationOffException();
    }

    /// <summary>The endpoint filter of every federation endpoint.</summary>
    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.RequestServices.GetRequiredService<FederationGate>().EnsureOpen();
        return next(context);
    }
}

/// <summary>Federation is off until the node's public URL is set (503, code <c>public_url_missing</c>).</summary>
public sealed class FederationOffException()
    : CommonsException(ProblemCodes.PublicUrlMissing, "Federation is off", "this node does not federate until its administrator sets Commons:PublicUrl");
