using Commons.Node.Auth;

namespace Commons.Node.Web.Admin;

/// <summary>The administration pages' gate: the API's rule (<see cref="Core.Access.Caller.CanAdminister"/>), 403 for anyone else.</summary>
public static class AdminAccess
{
    /// <summary>True when the signed-in member may administer the node; otherwise the response becomes a 403.</summary>
    public static bool Allow(HttpContext http)
    {
        if (http.Caller().CanAdminister) return true;
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return false;
    }
}
