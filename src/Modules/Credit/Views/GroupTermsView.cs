using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Views;

/// <summary>
/// <c>{group dataset actor}/views/terms?group=ID</c>: one group's terms, for its members' nodes to join with. Only a
/// member node (the verified fetcher is one of the group's actors) learns the member list and limits; anyone else
/// gets nothing (404), whatever the dataset's policy admits.
/// </summary>
public sealed class GroupTermsView(IRecordStore records) : IDatasetView
{
    public const string ViewName = "terms";

    public string Kind => GroupKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (!request.Query.TryGetValue("group", out var id) || records.Get(request.Dataset.Key, id) is not { Deleted: false } record) return null;
        if (request.FetcherActor is null || GroupTerms.Of(record.Data).Member(request.FetcherActor) is null) return null;
        return JsonSerializer.SerializeToElement(new JsonObject { ["group"] = id, ["terms"] = JsonNode.Parse(record.Data.GetRawText()) });
    }
}
