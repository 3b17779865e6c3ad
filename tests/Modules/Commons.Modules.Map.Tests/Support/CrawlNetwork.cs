using System.Text.Json.Nodes;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>
/// Five real nodes whose public relationships make a chain with a cycle and two closed doors: we (A, a store in the
/// test, at <see cref="Us"/>) name B; B names C, P, F and us; C names D and B; D names nobody. B, C and D publish their
/// profile; P keeps it private, F for approved followers only. Shared by the crawl's tests (started once).
/// </summary>
public sealed class CrawlNetwork : IAsyncLifetime
{
    public const string Us = "http://127.0.0.1:9";
    public JumpClock Clock { get; } = new(MapNode.Start);
    public PeerNode B { get; private set; } = null!;
    public PeerNode C { get; private set; } = null!;
    public PeerNode D { get; private set; } = null!;
    public PeerNode P { get; private set; } = null!;
    public PeerNode F { get; private set; } = null!;
    public IEnumerable<PeerNode> All => [B, C, D, P, F];

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PeerNode.StartAsync(Clock)));
        (B, C, D, P, F) = (started[0], started[1], started[2], started[3], started[4]);
        await B.ProfileAsync("public", Profile("Bruxelles Partage", "21004", ("partner_of", C.Url), ("member_of", P.Url), ("partner_of", F.Url), ("shares_staff_with", Us)));
        await C.ProfileAsync("public", Profile("Coopérative Canal", "21001", ("member_of", D.Url), ("partner_of", B.Url + "/")));
        await D.ProfileAsync("public", Profile("Dorpshuis Diest", "21009"));
        await P.ProfileAsync("private", Profile("Privé Asbl", "21010"));
        await F.ProfileAsync("approval", Profile("Followers Only", "21011"));
        foreach (var node in All) node.Requests.Clear();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in All) await node.DisposeAsync();
    }

    public void ClearLogs()
    {
        foreach (var node in All) node.Requests.Clear();
    }

    /// <summary>Our node, whose profile names <paramref name="names"/>, and its crawler over real HTTP on this network's clock.</summary>
    public (MapNode Node, DirectoryCrawler Crawler, NetworkDirectory Directory) Us_(CrawlOptions options, params string[] names) =>
        CrawlingNode.Create(Clock, options, names);

    public static JsonObject Profile(string name, string commune, params (string Predicate, string Url)[] ties) => new()
    {
        ["name"] = name, ["commune"] = commune, ["languages"] = new JsonArray("fr", "nl"),
        ["relationships"] = new JsonArray(ties.Select(t => (JsonNode)new JsonObject { ["predicate"] = t.Predicate, ["object_url"] = t.Url }).ToArray()),
    };
}
