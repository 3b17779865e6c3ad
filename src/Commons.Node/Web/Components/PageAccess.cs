using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;

namespace Commons.Node.Web.Components;

/// <summary>
/// The doors of the pages, asking Core exactly as the API does: <see cref="DatasetService.Get"/> at the level a page
/// needs, and <see cref="Caller.CanAdminister"/> for the administration pages. A refusal sets the response's status:
/// 404 for a dataset the member may not know of, 403 for one they may see but not act on, 403 for a non-administrator.
/// </summary>
public static class PageAccess
{
    /// <summary>The dataset when the signed-in member holds <paramref name="level"/> on it; otherwise null, with the status set.</summary>
    public static Dataset? Dataset(HttpContext http, DatasetService datasets, string slug, AccessLevel level) =>
        Dataset(http, datasets, slug, level, out _);

    /// <summary>As above; <paramref name="forbidden"/> tells a 403 (the dataset is visible) from a 404.</summary>
    public static Dataset? Dataset(HttpContext http, DatasetService datasets, string slug, AccessLevel level, out bool forbidden)
    {
        forbidden = false;
        try
        {
            return datasets.Get(http.Caller(), slug, level);
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
    public static bool Administer(HttpContext http)
    {
        if (http.Caller().CanAdminister) return true;
        PageStatus.Set(http, StatusCodes.Status403Forbidden);
        return false;
    }
}
