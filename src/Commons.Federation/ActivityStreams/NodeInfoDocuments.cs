using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>NodeInfo 2.1: the discovery document at <c>/.well-known/nodeinfo</c> and the document at <c>/nodeinfo/2.1</c>.</summary>
public static class NodeInfoDocuments
{
    public const string SoftwareName = "commons-node";
    public const string SchemaRel = "http://nodeinfo.diaspora.software/ns/schema/2.1";
    public const string ContentType = "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";

    public static JsonObject Discovery(ActivityUris uris) => new()
    {
        ["links"] = new JsonArray(new JsonObject { ["rel"] = SchemaRel, ["href"] = uris.NodeInfo21 }),
    };

    /// <param name="softwareVersion">The node's version (required by the schema).</param>
    /// <param name="usersTotal">The number of members.</param>
    /// <param name="nodeName">The node's display name (metadata.nodeName).</param>
    /// <param name="publicDatasets">The URL of the node's listing of its public datasets (metadata.commonsPublicDatasets, spec §4.4).</param>
    public static JsonObject NodeInfo(string softwareVersion, long usersTotal, string nodeName, string? publicDatasets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(softwareVersion);
        ArgumentOutOfRangeException.ThrowIfNegative(usersTotal);
        return new JsonObject
        {
            ["version"] = "2.1",
            ["software"] = new JsonObject { ["name"] = SoftwareName, ["version"] = softwareVersion },
            ["protocols"] = new JsonArray("activitypub"),
            ["services"] = new JsonObject { ["inbound"] = new JsonArray(), ["outbound"] = new JsonArray() },
            ["openRegistrations"] = false,
            ["usage"] = new JsonObject { ["users"] = new JsonObject { ["total"] = usersTotal } },
            ["metadata"] = publicDatasets is null
                ? new JsonObject { ["nodeName"] = nodeName }
                : new JsonObject { ["nodeName"] = nodeName, [PublicData.PublicDatasetsDocument.MetadataKey] = publicDatasets },
        };
    }
}
