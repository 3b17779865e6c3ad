using Commons.Federation.ActivityStreams;
using Commons.Federation.PublicData;
using Commons.Federation.Http;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Kinds;
using Commons.Storage.Federation;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>
/// Our node for the crawl's tests: a real store (<see cref="MapNode"/>) at <see cref="CrawlNetwork.Us"/>, whose profile
/// names the given addresses, and its crawler reading through the node's real unsigned client (loopback allowed).
/// </summary>
public static class CrawlingNode
{
    public static (MapNode Node, DirectoryCrawler Crawler, NetworkDirectory Directory) Create(TimeProvider clock, CrawlOptions options, params string[] names)
    {
        var node = new MapNode();
        node.CreateDataset("profile", ProfileKind.KindName);
        var profile = CrawlNetwork.Profile("Atelier Anderlecht", "21001", names.Select(n => ("partner_of", n)).ToArray());
        node.Map.PutProfile(MapNode.Admin, MapNode.Doc(profile.ToJsonString()), null);
        var federation = new FederationOptions { AllowPrivateNetworks = true, RequestTimeout = TimeSpan.FromSeconds(20) };
        var remote = new PublicDirectoryClient(new PublicHttpClient(federation, new DomainPolicyProvider(federation)), new ActivityUris(CrawlNetwork.Us));
        var directory = new NetworkDirectory(node.Directory, node.DatasetStore, node.Subscriptions, new LiteFollowerStore(node.Database),
            node.Replicas, node.ModuleStore, node.Clock, remote);
        return (node, new DirectoryCrawler(directory, remote, node.ModuleStore, options.Validated(), clock), directory);
    }
}
