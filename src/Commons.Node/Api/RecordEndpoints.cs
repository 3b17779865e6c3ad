using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

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
        }).Produces<PageResponse<RecordResponse>>().ProducesProblem(400).ForAnySignedInCaller().AddOpenApiOperationTransformer(DocumentQuery)
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

    /// <summary>The listing reads its query string itself (RecordQueryParser), so its parameters are described here.</summary>
    private static Task DocumentQuery(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var limits = context.ApplicationServices.GetRequiredService<RecordLimits>();
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("q", "Full-text search, accent- and case-insensitive; up to 10 words, all must match.", new OpenApiSchema { Type = JsonSchemaType.String }));
        operation.Parameters.Add(Query("sort", "id, createdAt, updatedAt, revision or a data field path (name, address.city); a leading '-' sorts descending.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^[-+]?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$" }));
        operation.Parameters.Add(Query("limit", $"Records per page (default {limits.DefaultPageSize}).",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = limits.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        operation.Parameters.Add(Query("cursor", "The `next` of the previous page.", new OpenApiSchema { Type = JsonSchemaType.String }));
        // One form-exploded object: each property is a query parameter of its own, filter.{field path}=value.
        var filter = Query("filter", "Equality filters, one query parameter per field: filter.{field path}=value (e.g. filter.city=Gent); "
            + "the value is read as the dataset's schema types the field (integer, number, boolean or string).",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^filter\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$" },
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        filter.Style = ParameterStyle.Form;
        filter.Explode = true;
        operation.Parameters.Add(filter);
        return Task.CompletedTask;
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema };

    private static string NextQuery(IQueryCollection query, string cursor)
    {
        var pairs = query.Where(kv => kv.Key != "cursor").SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"cursor={Uri.EscapeDataString(cursor)}");
        return "?" + string.Join('&', pairs);
    }
}
