using Commons.Core.Access;
using Commons.Node.Auth;
using Commons.Platform;

namespace Commons.Node.Hosting.Modules;

/// <summary>The host's own reading of the caller (<see cref="CallerResolver"/>), lent to modules' endpoints and pages.</summary>
internal sealed class HostCallerAccessor : ICallerAccessor
{
    public Caller Caller(HttpContext http) => http.Caller();

    public Caller? Find(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true) return null;
        try { return http.Caller(); }
        catch (UnauthenticatedException) { return null; }
    }
}
