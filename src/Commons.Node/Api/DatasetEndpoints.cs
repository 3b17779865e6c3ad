using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;

namespace Commons.Node.Api;

public static class DatasetEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");

        group.MapGet("", (HttpContext http, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
            datasets.ListVisible(http.Caller()).Select(d => Describe(d, records, feed)).ToList())
            .ForAnySignedInCaller().WithSummary("The datasets the caller may see.");

        group.MapPost("", async (HttpContext http, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
        {
            var caller = http.Caller();
            var request = await JsonBody.ReadAsync<DatasetRequest>(http);
            var dataset = datasets.Create(caller, Draft(request));
            http.Response.Headers.ETag = $"\"{dataset.Version}\"";
            return Results.Created($"/api/datasets/{dataset.Slug}", Describe(dataset, records, feed));
        }).Accepts<DatasetRequest>("application/json").Produces<DatasetResponse>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(422)
          .WithSummary("Create a dataset; its creator becomes its steward. A kind (custom when left out) of a module that is on gives its schema, policy and exclusions; policy otherwise defaults to private. While a committee governs datasets.policy, sharing other than the default needs `decision`, an adopted decision that authorises it (422 decision_required, decision_not_adopted, decision_mismatch).");

        group.MapGet("/{slug}", (HttpContext http, string slug, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
        {
            var dataset = datasets.Get(http.Caller(), slug);
            http.Response.Headers.ETag = $"\"{dataset.Version}\"";
            return Describe(dataset, records, feed);
        }).Produces<DatasetResponse>().ForAnySignedInCaller().WithSummary("One dataset (404 if the caller may not know it exists).");

        group.MapPatch("/{slug}", async (HttpContext http, string slug, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
        {
            var caller = http.Caller();
            datasets.Get(caller, slug, AccessLevel.Steward);
            var request = await JsonBody.ReadAsync<DatasetRequest>(http);
            var dataset = datasets.Update(caller, slug, Draft(request), Preconditions.ExpectedRevision(http.Request));
            http.Response.Headers.ETag = $"\"{dataset.Version}\"";
            return Describe(dataset, records, feed);
        }).Accepts<DatasetRequest>("application/json").Produces<DatasetResponse>().ProducesProblem(400).ProducesProblem(412).ProducesProblem(422)
          .WithSummary("Change a dataset's settings (stewards). Fields left out stay as they are; If-Match takes the dataset's version. While a committee governs datasets.policy, a change of policy, allowed peers or excluded fields needs `decision`, an adopted decision that authorises it (422 decision_required, decision_not_adopted, decision_mismatch; nothing changed).");

        group.MapGet("/{slug}/sharing/history", (HttpContext http, string slug, DatasetService datasets) =>
            datasets.SharingHistory(http.Caller(), slug).Select(GovernedChangeResponse.From).ToList())
            .Produces<List<GovernedChangeResponse>>().ForAnySignedInCaller()
            .WithSummary("The dataset's changes of sharing (datasets.policy), newest first, each with the decision that authorised it; empty while nothing governs them.");

        group.MapDelete("/{slug}", (HttpContext http, string slug, DatasetService datasets) =>
        {
            datasets.Delete(http.Caller(), slug);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(409).WithSummary("Delete a dataset with all its records (stewards); a module's kind may refuse (409, e.g. resource_in_use).");

        group.MapPut("/{slug}/grants/{username}", async (HttpContext http, string slug, string username, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
        {
            var caller = http.Caller();
            datasets.Get(caller, slug, AccessLevel.Steward);
            var request = await JsonBody.ReadAsync<GrantRequest>(http);
            return Describe(datasets.SetGrant(caller, slug, username, request.Role), records, feed);
        }).Accepts<GrantRequest>("application/json").Produces<DatasetResponse>().WithSummary("Give a member a role on the dataset: viewer, editor or steward (stewards).");

        group.MapDelete("/{slug}/grants/{username}", (HttpContext http, string slug, string username, DatasetService datasets, IRecordStore records, IChangeFeed feed) =>
            Describe(datasets.RemoveGrant(http.Caller(), slug, username), records, feed))
            .Produces<DatasetResponse>().ProducesProblem(400).ProducesProblem(409).WithSummary("Remove a member's role on the dataset (stewards).");

        group.MapGet("/{slug}/changes", (HttpContext http, string slug, long? after, int? limit, RecordService service, IChangeFeed feed, RecordLimits limits) =>
        {
            if (after is < 0) throw Core.Errors.ValidationException.For("after", "a sequence number, 0 or more", Core.Errors.ProblemCodes.InvalidParameter);
            var (dataset, changes) = service.Changes(http.Caller(), slug, after ?? 0, PageLimit.Check(limit, 100, limits.MaxPageSize));
            var last = feed.LastSeq(dataset.Key);
            var next = changes.Count > 0 && changes[^1].Seq < last ? changes[^1].Seq : (long?)null;
            return new ChangesResponse(changes.Select(ChangeResponse.From).ToList(), last, next);
        }).CheckQuery(QueryValue.Long("after"), QueryValue.Int("limit")).ForAnySignedInCaller().WithSummary("The dataset's changes feed after a sequence number, oldest first.");
    }

    private static DatasetResponse Describe(Dataset d, IRecordStore records, IChangeFeed feed) =>
        DatasetResponse.From(d, records.Count(d.Key), feed.LastSeq(d.Key));

    private static DatasetDraft Draft(DatasetRequest r) => new()
    {
        Slug = r.Slug,
        Kind = r.Kind,
        Title = r.Title,
        Description = r.Description,
        Schema = r.Schema is { } s ? s.GetRawText() : null,
        License = r.License,
        Policy = r.Policy,
        AllowedPeers = r.AllowedPeers,
        ExcludedFields = r.ExcludedFields,
        TitleField = r.TitleField,
        Columns = r.Columns,
        Decision = r.Decision,
    };
}
