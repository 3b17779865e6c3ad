using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.PublicData;
using Commons.Platform;

namespace Commons.Node.Federation;

/// <summary>
/// <c>GET /nodeinfo/datasets[?kind=K]</c>: the node's public datasets with their kind, for anyone (a crawler of the map
/// reads it unsigned). Only public ones: a dataset of any other policy is neither listed nor counted, whoever asks.
/// Linked from NodeInfo's metadata (spec §4.4).
/// </summary>
public static class PublicDatasetsEndpoint
{
    public static void Map(IEndpointRouteBuilder fed) =>
        fed.MapGet(PublicDatasetsDocument.Path, (string? kind, [FromServices] ActivityUris uris, IDatasetStore datasets) =>
            Results.Text(PublicDatasetsDocument.Build(datasets.List(), uris, string.IsNullOrWhiteSpace(kind) ? null : kind.Trim()).ToJsonString(),
                PublicDatasetsDocument.ContentType, System.Text.Encoding.UTF8));
}
