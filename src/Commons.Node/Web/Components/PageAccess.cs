using Commons.Platform.Web;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;

namespace Commons.Node.Web.Components;

/// <summary>
/// The doors of the pages, asking the services exactly as the API does (<see cref="DatasetService.Get"/> at the level
/// a page needs, a service's own question such as <c>FollowerService.Stewarded</c>, or its yes/no such as
/// <c>DeliveryAdmin.MayAdminister</c>); a page never decides itself. A refusal sets the response's status: 404 for
/// a dataset the member may not know of, 403 for one they may see but not act on, 403 for a non-administrator.
/// </summary>
public static class PageAccess
{
    /// <summary>The dataset when the signed-in member holds <paramref name="level"/> on it; otherwise null, with the status set.</summary>
    public static Dataset? Dataset(HttpContext http, DatasetService datasets, string slug, AccessLevel level) =>
        Dataset(http, datasets, slug, level, out _);

    /// <summary>As above; <paramref name="forbidden"/> tells a 403 (the dataset is visible) from a 404.</summary>
    public static Dataset? Dataset(HttpContext http, DatasetService datasets, string slug, AccessLevel level, out bool forbidden) =>
        Ask(http, caller => datasets.Get(caller, slug, level), out forbidden);

    /// <summary>What a service gives the signed-in member; null when it refuses, with the status set (404, or 403 and <paramref name="forbidden"/>).</summary>
    public static T? Ask<T>(HttpContext http, Func<Caller, T> ask, out bool forbidden) where T : class
    {
        forbidden = false;
        try
        {
            return ask(http.Caller());
        }
        catch (NotFoundException)
        {
            PageStatus.Set(http, StatusCodes.Status404NotFound);
        }
        catch (ForbiddenException)
        {
            PageStatus.Set(http, StatusCodes.Status403Forbidden);
            forbidden = true;
        }
        return null;
    }

    /// <summary>True when the signed-in member may administer the node; otherwise the response becomes a 403.</summary>
    public static bool Administer(HttpContext http) => Allow(http, http.Caller().CanAdminister);

    /// <summary>A service's answer to "may this member use the page?": true, or false with the response made a 403.</summary>
    public static bool Allow(HttpContext http, bool allowed)
    {
        if (allowed) return true;
        PageStatus.Set(http, StatusCodes.Status403Forbidden);
        return false;
    }
}
