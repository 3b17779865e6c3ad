using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services.Membership;

/// <summary>
/// <c>{group dataset actor}/views/memberships</c>: the groups of this dataset that list the verified fetcher as a member,
/// each with its terms and the fetcher's account — what a member node's administrator is shown before joining by the
/// dataset's handle alone. Groups that do not list the fetcher stay unseen; an unsigned fetch learns nothing (404).
/// </summary>
public sealed class MembershipsView(IRecordStore records) : IDatasetView
{
    public const string ViewName = "memberships";
    private const int MaxGroups = 50;

    public string Kind => GroupKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.FetcherActor is not { } fetcher) return null;
        var groups = new JsonArray();
        string? cursor = null;
        do
        {
            var page = records.Query(request.Dataset.Key, new RecordQuery { Limit = 200, Cursor = cursor });
            foreach (var r in page.Items.Where(r => !r.Deleted && GroupTerms.Of(r.Data).Member(fetcher) is not null).Take(MaxGroups - groups.Count))
                groups.Add(new JsonObject { ["group"] = r.Id, ["account"] = fetcher, ["terms"] = JsonNode.Parse(r.Data.GetRawText()) });
            cursor = page.NextCursor;
        } while (cursor is not null && groups.Count < MaxGroups);
        return JsonSerializer.SerializeToElement(new JsonObject { ["groups"] = groups });
    }
}
