using System.Text;
using System.Text.RegularExpressions;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Platform;

namespace Commons.Node.Hosting.Modules;

/// <summary>
/// <c>GET /schemas/{kind}.v{N}.json</c>: the JSON Schema of a dataset kind, for anyone (a peer validating what it
/// replicates, a developer writing a client), whether its module is on or not. The same documents are committed under
/// spec/schemas/, and a test keeps the two equal.
/// </summary>
public static partial class SchemaEndpoints
{
    public const string MediaType = "application/schema+json";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/schemas/{file}", (HttpContext http, string file, IDatasetKinds kinds) =>
        {
            var match = FileName().Match(file);
            if (!match.Success || kinds.Find(match.Groups["kind"].Value) is not { } kind
                || match.Groups["version"].Value != kind.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new NotFoundException($"no schema '{file}' on this node");
            var etag = $"\"{kind.Name}.v{kind.SchemaVersion}\"";
            // A version's schema never changes (a change is a new version), so caches may keep it.
            http.Response.Headers.CacheControl = "public, max-age=86400";
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(Encoding.UTF8.GetBytes(kind.Schema), MediaType);
        }).AllowAnonymous().WithTags("Schemas").Produces(200, contentType: MediaType).Produces(304)
          .WithSummary("The JSON Schema of a dataset kind at one version, e.g. place.bookings.v1.json (anyone).");
    }

    [GeneratedRegex("^(?<kind>[a-z][a-z0-9-]*\\.[a-z][a-z0-9.-]*)\\.v(?<version>[1-9][0-9]{0,8})\\.json$")]
    private static partial Regex FileName();
}
