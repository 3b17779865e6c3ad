using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;
using Commons.Federation.Replication;

namespace Commons.Federation.PublicData;

/// <summary>
/// <see cref="IPublicDirectory"/> over <see cref="PublicHttpClient"/>: NodeInfo discovery (<c>/.well-known/nodeinfo</c>,
/// then the 2.1 document), the public listing its metadata links to, and the first page of a public dataset's outbox
/// (the backfill feed, read as anyone reads it). Every document stays on the host asked about and under its cap.
/// </summary>
public sealed class PublicDirectoryClient(PublicHttpClient http, ActivityUris uris) : IPublicDirectory
{
    public const long MaxDiscoveryBytes = 64 * 1024;
    public const long MaxListingBytes = 256 * 1024;
    public const long MaxPageBytes = 256 * 1024;
    private const string JsonAccept = "application/json";

    public async Task<IReadOnlyList<PublicDataset>> DatasetsAsync(Uri node, string kind, IFetchGate gate, CancellationToken ct)
    {
        var root = new Uri(node.GetLeftPart(UriPartial.Authority) + "/");
        var discovery = await JsonAsync(new Uri(root, ".well-known/nodeinfo"), JsonAccept, MaxDiscoveryBytes, gate, ct).ConfigureAwait(false);
        var nodeInfoUrl = AsJson.Values(discovery, "links")
            .Where(l => AsJson.String(l, "rel") == NodeInfoDocuments.SchemaRel).Select(l => AsJson.String(l, "href")).FirstOrDefault();
        if (OnHost(nodeInfoUrl, root) is not { } nodeInfoUri)
            throw new PublicFetchException(PublicFetchFailure.NotANode, $"{root.Authority} publishes no NodeInfo 2.1 on its own host");
        var nodeInfo = await JsonAsync(nodeInfoUri, JsonAccept, MaxDiscoveryBytes, gate, ct).ConfigureAwait(false);
        var listingUrl = AsJson.String(AsJson.Get(nodeInfo, "metadata"), PublicDatasetsDocument.MetadataKey);
        if (OnHost(listingUrl, root) is not { } listingUri)
            throw new PublicFetchException(PublicFetchFailure.NotANode, $"{root.Authority} is not a Commons node (its NodeInfo links no public listing)");
        var listing = await JsonAsync(new Uri($"{listingUri.GetLeftPart(UriPartial.Path)}?kind={Uri.EscapeDataString(kind)}"), JsonAccept, MaxListingBytes, gate, ct)
            .ConfigureAwait(false);
        return PublicDatasetsDocument.Read(listing, root, kind);
    }

    public bool IsThisNode(Uri url) => string.Equals(url.Authority, uris.Host, StringComparison.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<PublicRecord>> RecordsAsync(PublicDataset dataset, int max, IFetchGate gate, CancellationToken ct)
    {
        if (OnHost(dataset.Outbox, new Uri(dataset.Actor)) is not { } outbox)
            throw new PublicFetchException(PublicFetchFailure.Malformed, $"the outbox of {dataset.Actor} is not on its host");
        var url = new Uri($"{outbox.GetLeftPart(UriPartial.Path)}?page=0&limit={Math.Clamp(max, 1, BackfillFeed.MaxPageSize)}");
        var body = await http.GetAsync(url, SignedHttpClient.ActivityAccept, MaxPageBytes, gate, ct).ConfigureAwait(false);
        IReadOnlyList<JsonElement> items;
        try
        {
            items = BackfillBatch.DecodeJson(body).Items;
        }
        catch (FormatException e)
        {
            throw new PublicFetchException(PublicFetchFailure.Malformed, $"{url}: {e.Message}", e);
        }
        var prefix = dataset.Actor.TrimEnd('/') + "/records/";
        var records = new List<PublicRecord>();
        foreach (var activity in items)
        {
            if (!AsJson.HasType(activity, "Create") && !AsJson.HasType(activity, "Update")) continue;
            var obj = AsJson.Get(activity, "object");
            if (obj.ValueKind != JsonValueKind.Object || AsJson.Id(obj) is not { } id || !id.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (AsJson.Id(obj, "attributedTo") != dataset.Actor) continue;
            var data = AsJson.Get(obj, ActivityStreamsContext.Data);
            if (data.ValueKind != JsonValueKind.Object) continue;
            records.Add(new PublicRecord(Uri.UnescapeDataString(id[prefix.Length..]), data.Clone()));
            if (records.Count == max) break;
        }
        return records;
    }

    private async Task<JsonElement> JsonAsync(Uri url, string accept, long maxBytes, IFetchGate gate, CancellationToken ct)
    {
        var body = await http.GetAsync(url, accept, maxBytes, gate, ct).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new PublicFetchException(PublicFetchFailure.Malformed, $"{url} is not a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PublicFetchException(PublicFetchFailure.Malformed, $"{url} is not JSON", e);
        }
    }

    private static Uri? OnHost(string? url, Uri host) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
        && string.Equals(u.Authority, host.Authority, StringComparison.OrdinalIgnoreCase) ? u : null;
}
