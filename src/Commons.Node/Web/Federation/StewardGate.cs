using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;

namespace Commons.Node.Web.Federation;

/// <summary>
/// The door of a steward's page about one dataset (its sharing, a follower's removal): the same check as the API's
/// follower endpoints (<see cref="DatasetService.Get"/> at <see cref="AccessLevel.Steward"/>). A member who may not know
/// the dataset gets 404, one who may see it but not steward it gets 403; the response status is set either way.
/// </summary>
public static class StewardGate
{
    public static Dataset? Open(HttpContext http, DatasetService datasets, string slug, out bool forbidden)
    {
        forbidden = false;
        try
        {
            return datasets.Get(http.Caller(), slug, AccessLevel.Steward);
        }
        catch (NotFoundException)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }
        catch (ForbiddenException)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            forbidden = true;
        }
        return null;
    }
}
