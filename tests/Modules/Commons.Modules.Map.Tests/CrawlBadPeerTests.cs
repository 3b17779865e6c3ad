using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// Peers that misbehave (WireMock): a profile that is not a map.profile, one larger than the crawl keeps, an outbox page
/// larger than the cap, a listing that names another host's dataset, an address that is no node. Each is skipped with
/// its reason and nothing of it is kept; the crawl goes on with the others.
/// </summary>
public sealed class CrawlBadPeerTests : IDisposable
{
    private readonly List<WireMockServer> _peers = [];

    public void Dispose()
    {
        foreach (var p in _peers) p.Stop();
    }

    [Fact]
    public async Task A_malformed_a_huge_or_an_impostor_profile_is_skipped_with_its_reason_and_nothing_is_kept()
    {
        var malformed = Peer(new JsonObject { ["name"] = 42, ["commune"] = "21001" });
        var huge = Peer(new JsonObject { ["name"] = "Trop Grand", ["nickname"] = new JsonArray(Enumerable.Range(0, 5).Select(i => (JsonNode)(i + new string('x', 55))).ToArray()),
            ["description"] = new JsonObject { ["fr"] = new string('é', 9000), ["nl"] = new string('ë', 9000), ["en"] = new string('e', 9000) } });
        var oversized = Peer(new JsonObject { ["name"] = "Page trop lourde" }, padding: 300 * 1024);
        var impostor = Peer(new JsonObject { ["name"] = "Imposteur" }, actorHost: "127.0.0.1:1");
        var notANode = Started();
        notANode.Given(Request.Create().WithPath("/.well-known/nodeinfo")).RespondWith(Response.Create().WithStatusCode(404));

        var (node, crawler, directory) = CrawlingNode.Create(new JumpClock(MapNode.Start), new CrawlOptions { HostInterval = TimeSpan.FromSeconds(1) },
            Url(malformed), Url(huge), Url(oversized), Url(impostor), Url(notANode));
        using (node)
        {
            var run = await crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);

            Assert.Equal(0, run.Found);
            Assert.True(run.Complete);
            Assert.Contains("is not a map.profile", Reason(run, malformed));
            Assert.Contains("larger than 32768 bytes", Reason(run, huge));
            Assert.Contains("limit of 262144", Reason(run, oversized));
            Assert.Contains("publishes no public profile", Reason(run, impostor));
            Assert.Contains("answered 404", Reason(run, notANode));
            Assert.DoesNotContain(directory.Read(MapNode.Alice).Nodes, n => n.Crawled is not null);
            Assert.Empty(node.ModuleStore.Read("map", d => d.Range("crawl", null, null, 10)));
            // The oversized page was not read past the cap; the impostor's outbox was never asked for.
            Assert.DoesNotContain(impostor.LogEntries, e => e.RequestMessage!.Path.Contains("outbox", StringComparison.Ordinal));
        }
    }

    private static string Reason(CrawlRun run, WireMockServer peer) => Assert.Single(run.Skipped, s => s.Url == Url(peer)).Reason;

    private static string Url(WireMockServer peer) => $"http://127.0.0.1:{peer.Ports[0]}";

    private WireMockServer Started()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"], StartAdminInterface = false });
        _peers.Add(server);
        return server;
    }

    /// <summary>A peer that speaks the protocol (NodeInfo, listing, outbox page) and serves <paramref name="profile"/> as its one public profile.</summary>
    private WireMockServer Peer(JsonObject profile, int padding = 0, string? actorHost = null)
    {
        var server = Started();
        var url = Url(server);
        var actor = $"http://{actorHost ?? url[7..]}/datasets/profile";
        Json(server, "/.well-known/nodeinfo", new JsonObject { ["links"] = new JsonArray(new JsonObject { ["rel"] = "http://nodeinfo.diaspora.software/ns/schema/2.1", ["href"] = $"{url}/nodeinfo/2.1" }) });
        Json(server, "/nodeinfo/2.1", new JsonObject { ["version"] = "2.1", ["metadata"] = new JsonObject { ["commonsPublicDatasets"] = $"{url}/nodeinfo/datasets" } });
        Json(server, "/nodeinfo/datasets", new JsonObject
        {
            ["datasets"] = new JsonArray(new JsonObject { ["actor"] = actor, ["kind"] = "map.profile", ["outbox"] = $"{actor}/outbox" }),
        });
        Json(server, "/datasets/profile/outbox", new JsonObject
        {
            ["type"] = "OrderedCollectionPage", ["commons:last"] = 1, ["commons:lastSeq"] = 1, ["padding"] = new string(' ', padding),
            ["orderedItems"] = new JsonArray(new JsonObject
            {
                ["type"] = "Create",
                ["object"] = new JsonObject { ["id"] = $"{actor}/records/profile", ["type"] = "Note", ["attributedTo"] = actor, ["commons:data"] = profile },
            }),
        });
        return server;
    }

    private static void Json(WireMockServer server, string path, JsonObject body) =>
        server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString()));
}
