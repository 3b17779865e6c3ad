using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.PublicData;

/// <summary>
/// The node's listing of its public datasets (spec §4.4), at <c>B/nodeinfo/datasets</c>, linked from NodeInfo's
/// <c>metadata.commonsPublicDatasets</c>: each public dataset's actor, kind and outbox. Datasets of any other policy are
/// not in it, nor counted. <c>?kind=K</c> keeps those of kind K.
/// </summary>
public static class PublicDatasetsDocument
{
    public const string Path = "/nodeinfo/datasets";
    /// <summary>The NodeInfo metadata key that links to the listing.</summary>
    public const string MetadataKey = "commonsPublicDatasets";
    public const string ContentType = "application/json";
    /// <summary>The listing's kind of a dataset that has none.</summary>
    public const string Custom = "custom";

    public static string Url(ActivityUris uris) => uris.Base + Path;

    public static JsonObject Build(IEnumerable<Dataset> datasets, ActivityUris uris, string? kind)
    {
        var listed = new JsonArray();
        foreach (var d in datasets.Where(d => d.Policy == SharingPolicy.Public).OrderBy(d => d.Slug, StringComparer.Ordinal))
        {
            var k = string.IsNullOrEmpty(d.Kind) ? Custom : d.Kind;
            if (kind is not null && k != kind) continue;
            listed.Add(new JsonObject { ["actor"] = uris.DatasetActor(d.Slug), ["kind"] = k, ["outbox"] = uris.DatasetOutbox(d.Slug) });
        }
        return new JsonObject { ["id"] = Url(uris) + (kind is null ? "" : "?kind=" + Uri.EscapeDataString(kind)), ["datasets"] = listed };
    }

    /// <summary>
    /// Reads a listing fetched from <paramref name="from"/>: the datasets of kind <paramref name="kind"/> whose actor and
    /// outbox are http(s) URLs on the listing's own host (a listing does not speak for another node).
    /// </summary>
    /// <exception cref="PublicFetchException">Not a listing.</exception>
    public static IReadOnlyList<PublicDataset> Read(JsonElement root, Uri from, string kind)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("datasets", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new PublicFetchException(PublicFetchFailure.Malformed, "the public listing has no datasets array");
        var found = new List<PublicDataset>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) continue;
            var actor = AsJson.String(item, "actor");
            var outbox = AsJson.String(item, "outbox");
            if (AsJson.String(item, "kind") != kind || !SameHost(actor, from) || !SameHost(outbox, from)) continue;
            found.Add(new PublicDataset(actor!, kind, outbox!));
        }
        return found;
    }

    private static bool SameHost(string? url, Uri from) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
        && string.Equals(u.Authority, from.Authority, StringComparison.OrdinalIgnoreCase);
}
