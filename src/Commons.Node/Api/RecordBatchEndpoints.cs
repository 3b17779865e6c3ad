using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Commons.Node.Api;

/// <summary>
/// <c>POST /api/datasets/{slug}/records/batch</c>: up to <see cref="RecordLimits.MaxBatchRecords"/> records created in one
/// transaction, all or nothing (<see cref="RecordService.CreateMany"/>).
/// </summary>
public static class RecordBatchEndpoints
{
    /// <summary>How much deeper a record's data sits in a batch (<c>{"records":[{"data":…}]}</c>) than in a single create (<c>{"data":…}</c>).</summary>
    private const int EnvelopeDepth = 2;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/datasets/{slug}/records/batch", async (HttpContext http, string slug, RecordService records, RecordLimits limits) =>
        {
            var caller = http.Caller();
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limits.MaxBatchBytes;
            using var doc = await JsonBody.ReadDocumentAsync(http, limits.MaxJsonDepth + EnvelopeDepth, http.RequestAborted);
            var result = records.CreateMany(caller, slug, ReadItems(doc.RootElement, limits));
            var response = new RecordBatchResponse(result.Created, result.Records.Count - result.Created,
                result.Records.Select(r => new RecordBatchItemResponse(r.Record.Id, r.Record.Revision, r.Created)).ToList());
            // 200 whether or not anything was new: a batch creates no single resource a Location could name.
            return Results.Ok(response);
        }).WithTags("Records")
          .Accepts<RecordBatchRequest>("application/json").Produces<RecordBatchResponse>(200)
          .ProducesProblem(400).ProducesProblem(413).ProducesProblem(422)
          .WithSummary("Create up to 1,000 records in one transaction, all or nothing, one change each (editors and stewards). "
              + "A refused batch (422 batch_refused) lists every failing record by index and path; nothing is stored. "
              + "Records whose id is already stored with the same data and shared flag are kept (created: false), so a retried batch with ids is safe.");
    }

    /// <summary>The entries of <c>{"records": [...]}</c>; an entry that cannot be read becomes its own error, listed with the others.</summary>
    private static List<RecordBatchItem> ReadItems(JsonElement root, RecordLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object) throw ValidationException.For("$", "a batch is a JSON object: {\"records\": [...]}");
        foreach (var property in root.EnumerateObject())
            if (property.Name != "records") throw ValidationException.For($"$.{property.Name}", "unknown field");
        if (!root.TryGetProperty("records", out var list) || list.ValueKind != JsonValueKind.Array)
            throw ValidationException.For("$.records", "a batch needs an array of records");
        var count = list.GetArrayLength();
        if (count > limits.MaxBatchRecords)
            throw new BatchTooLargeException($"the batch has {count} records; the limit is {limits.MaxBatchRecords}");
        var items = new List<RecordBatchItem>(count);
        var index = 0;
        foreach (var entry in list.EnumerateArray()) items.Add(ReadItem(entry, index++));
        return items;
    }

    private static RecordBatchItem ReadItem(JsonElement entry, int index)
    {
        var at = RecordService.EntryPath(index);
        RecordBatchItem Unreadable(string path, string message) =>
            new(null, default) { Unreadable = new BatchError(index, path, ProblemCodes.ValidationFailed, message) };
        if (entry.ValueKind != JsonValueKind.Object) return Unreadable(at, "a record entry is an object: {\"id\"?, \"data\", \"shared\"?}");
        string? id = null;
        JsonElement? data = null;
        var shared = true;
        foreach (var property in entry.EnumerateObject())
        {
            switch (property.Name)
            {
                case "id" when property.Value.ValueKind == JsonValueKind.String: id = property.Value.GetString(); break;
                case "id" when property.Value.ValueKind == JsonValueKind.Null: break;
                case "id": return Unreadable($"{at}.id", "a record id is a string");
                case "data": data = property.Value; break;
                case "shared" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False: shared = property.Value.GetBoolean(); break;
                case "shared" when property.Value.ValueKind == JsonValueKind.Null: break;
                case "shared": return Unreadable($"{at}.shared", "shared is true or false");
                default: return Unreadable($"{at}.{property.Name}", "unknown field");
            }
        }
        return data is { } d ? new RecordBatchItem(id, d, shared) : Unreadable($"{at}.data", "is required");
    }
}
