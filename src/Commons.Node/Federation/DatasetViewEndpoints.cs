using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Federation.Views;
using Commons.Node.Http;
using Commons.Platform;

namespace Commons.Node.Federation;

/// <summary>
/// <c>GET /datasets/{slug}/views/{name}</c>: a view its kind publishes beside the records (<see cref="IDatasetView"/>),
/// computed at each fetch. Read by whom the records may be read (<see cref="SignedFetchAuthorizer"/>); to anyone else,
/// and for a view that does not exist or whose module is off, 404 — the same 404 as for a dataset that does not exist.
/// </summary>
public static class DatasetViewEndpoints
{
    public static void Map(IEndpointRouteBuilder fed)
    {
        // Built now, so that two views of one name for one kind stop the start rather than the first fetch.
        fed.ServiceProvider.GetRequiredService<DatasetViewRegistry>();
        fed.MapGet("/datasets/{slug}/views/{name}", Serve).RequireRateLimiting(FederationRateLimits.Views);
    }

    private static async Task<IResult> Serve(HttpContext http, string slug, string name, IDatasetStore datasets, DatasetViewRegistry views,
        SignedFetchAuthorizer authorizer, [FromServices] TimeProvider clock)
    {
        // Computed for this fetcher at this moment: no cache may keep it or give it to another.
        http.Response.Headers.CacheControl = "no-store";
        if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset) return Results.NotFound();
        var (mayRead, signer) = await authorizer.AdmitAsync(http, dataset);
        if (!mayRead || views.Find(dataset.Kind, name) is not { } view) return Results.NotFound();
        try
        {
            var query = DatasetViewQuery.Check(http.Request.Query.SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))));
            var request = new DatasetViewRequest(dataset, name, signer, signer is null ? null : new Uri(signer).Authority, query, clock.GetUtcNow());
            return view.Build(request) is { } json ? Results.Text(json.GetRawText(), "application/json", System.Text.Encoding.UTF8) : Results.NotFound();
        }
        catch (CommonsException e)
        {
            return Results.Problem(statusCode: ProblemMapping.StatusOf(e), title: e.Title, detail: e.Detail,
                extensions: new Dictionary<string, object?> { [ProblemMapping.CodeField] = e.Code });
        }
    }
}
