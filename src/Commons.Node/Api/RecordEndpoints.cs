using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;

namespace Commons.Node.Api;

public static class RecordEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/datasets/{slug}/records").WithTags("Records");

        group.MapGet("", (HttpContext http, string slug, DatasetService datasets, RecordService records, RecordLimits limits) =>
        {
            var caller = http.Caller();
            var dataset = datasets.Get(caller, slug);
            var page = records.List(caller, dataset, RecordQueryParser.Parse(http.Request.Query, dataset, limits));
            if (page.NextCursor is { } next)
                http.Response.Headers.Link = $"</api/datasets/{slug}/records{NextQuery(http.Request.Query, next)}>; rel=\"next\"";
            return new PageResponse<RecordResponse>(page.Items.Select(RecordResponse.From).ToList(), page.NextCursor);
        }).Produces<PageResponse<RecordResponse>>().ProducesProblem(400).ForAnySignedInCaller().WithMetadata(RecordQueryParameters.Described)
          .WithSummary("Records, filtered (filter.{field}=value), searched (q, accent-insensitive), sorted (sort=[-]field) and paged (limit, cursor).");

        group.MapPost("", async (HttpContext http, string slug, RecordService records) =>
        {
            var caller = http.Caller();
            var request = await JsonBody.ReadAsync<RecordCreateRequest>(http);
            var (record, _) = records.Create(caller, slug, request.Id, request.Data, request.Shared ?? true);
            http.Response.Headers.ETag = record.ETag;
            return Results.Created($"/api/datasets/{slug}/records/{record.Id}", RecordResponse.From(record));
        }).Accepts<RecordCreateRequest>("application/json").Produces<RecordResponse>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(413)
          .WithSummary("Create a record (editors and stewards). The id is generated unless given.");

        group.MapGet("/{id}", (HttpContext http, string slug, string id, RecordService records) =>
        {
            var record = records.Get(http.Caller(), slug, id);
            if (Preconditions.NoneMatch(http.Request, record.ETag)) return Results.StatusCode(304);
            http.Response.Headers.ETag = record.ETag;
            return Results.Ok(RecordResponse.From(record));
        }).Produces<RecordResponse>().Produces(304).ForAnySignedInCaller().WithSummary("One record, with its revision as ETag.");

        group.MapPut("/{id}", async (HttpContext http, string slug, string id, RecordService records) =>
        {
            var caller = http.Caller();
            var expected = Preconditions.ExpectedRevision(http.Request);
            var request = await JsonBody.ReadAsync<RecordUpdateRequest>(http);
            var (record, _) = records.Update(caller, slug, id, request.Data, request.Shared, expected);
            http.Response.Headers.ETag = record.ETag;
            return Results.Ok(RecordResponse.From(record));
        }).Accepts<RecordUpdateRequest>("application/json").Produces<RecordResponse>().ProducesProblem(400).ProducesProblem(412)
          .WithSummary("Replace a record's data and/or its shared flag. With If-Match, a stale revision gets 412 and nothing is written.");

        group.MapDelete("/{id}", (HttpContext http, string slug, string id, RecordService records) =>
        {
            records.Delete(http.Caller(), slug, id, Preconditions.ExpectedRevision(http.Request));
            return Results.NoContent();
        }).Produces(204).ProducesProblem(412).WithSummary("Delete a record (a tombstone stays for peers).");
    }

    private static string NextQuery(IQueryCollection query, string cursor)
    {
        var pairs = query.Where(kv => kv.Key != "cursor").SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"cursor={Uri.EscapeDataString(cursor)}");
        return "?" + string.Join('&', pairs);
    }
}
