using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;

namespace Commons.Node.Web.Records;

/// <summary>
/// Whether the signed-in member may change a dataset's records, decided by <see cref="DatasetService"/> as for the API:
/// a dataset they may not know of answers 404, one they may only read answers 403, and the page is not shown either way.
/// </summary>
public static class EditAccess
{
    public static Dataset? Check(HttpContext http, DatasetService datasets, string slug)
    {
        try
        {
            return datasets.Get(http.Caller(), slug, AccessLevel.Edit);
        }
        catch (NotFoundException)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }
        catch (ForbiddenException)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        return null;
    }
}
