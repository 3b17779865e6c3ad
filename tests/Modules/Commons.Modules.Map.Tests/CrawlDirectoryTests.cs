using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Commons.Core.Federation;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// What the crawl found, as the directory shows it: a node known only through the crawl is listed with whom it was
/// found through; a node we know directly gets its public profile; the ties between nodes are edges of the graph; a
/// run that reaches everything forgets what it no longer reaches, a run cut at its cap does not. The crawl on the API.
/// </summary>
public sealed class CrawlDirectoryTests : IDisposable
{
    private readonly (MapNode Node, DirectoryCrawler Crawler, NetworkDirectory Directory) _us =
        CrawlingNode.Create(new JumpClock(MapNode.Start), new CrawlOptions(), "https://b.example");

    public void Dispose() => _us.Node.Dispose();

    private void Found(bool complete, params CrawledNode[] nodes) => _us.Node.ModuleStore.Write("map", data =>
    {
        CrawledNodes.Save(data, nodes, new CrawlRun(MapNode.Start, MapNode.Start, "root", 3, nodes.Length, complete, []));
        return 0;
    });

    private static CrawledNode Node(string host, int depth, string? via, string name, params (string Predicate, string Url)[] ties) =>
        new(host, $"https://{host}", depth, via, ties.Length > 0 ? ties[0].Predicate : "partner_of", MapNode.Start,
            JsonSerializer.SerializeToElement(CrawlNetwork.Profile(name, "21004", ties)));

    [Fact]
    public void Crawled_nodes_are_listed_with_whom_they_were_found_through_and_their_ties_are_drawn()
    {
        _us.Node.Subscriptions.Upsert(new Subscription
        {
            Id = "s1", DatasetActor = "https://known.example/datasets/offers", Inbox = "https://known.example/inbox",
            FollowActivityId = "https://us/f/1", State = SubscriptionState.Accepted, RequestedBy = "root", Since = MapNode.Start,
        });
        Found(true,
            Node("b.example", 1, "", "Bruxelles Partage", ("member_of", "https://c.example/"), ("partner_of", "https://far.example")),
            Node("c.example", 2, "b.example", "Coopérative Canal"),
            Node("known.example", 0, null, "Déjà Connu"));

        var network = _us.Directory.Read(MapNode.Alice);
        var byHost = network.Nodes.ToDictionary(n => n.Host);
        Assert.Equal("b.example", byHost["c.example"].Crawled!.Via);
        Assert.True(byHost["c.example"].OnlyCrawled);
        Assert.Equal("Déjà Connu", byHost["known.example"].Profile!.Name);
        Assert.False(byHost["known.example"].OnlyCrawled);
        Assert.Equal(1, byHost["known.example"].WeFollow);
        Assert.Equal([new Tie("", "b.example", "partner_of"), new Tie("b.example", "c.example", "member_of")], network.Ties);
        Assert.Contains(_us.Directory.Search(MapNode.Alice, new DirectoryFilter("canal")), n => n.Host == "c.example");

        var words = new DrawingWords("Graph", "Organisations:", "Offers:", "Needs:", "This node", c => c.Fr) { TieWord = p => p == "member_of" ? "membre de" : "partenaire de" };
        var svg = XDocument.Parse(Drawings.Graph(network, words).ToString());
        XNamespace ns = "http://www.w3.org/2000/svg";
        var ties = svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("tie", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, ties.Count);
        Assert.Contains(ties, g => g.Element(ns + "text")!.Value == "membre de" && (string?)g.Element(ns + "line")!.Attribute("stroke-dasharray") == "6 4");
    }

    [Fact]
    public void A_complete_run_forgets_what_it_no_longer_reaches_and_a_run_cut_at_its_cap_keeps_it()
    {
        Found(true, Node("b.example", 1, "", "B"), Node("c.example", 2, "b.example", "C"));
        Found(false, Node("b.example", 1, "", "B again"));
        Assert.Equal(["b.example", "c.example"], Crawled());
        Assert.Equal("B again", _us.Directory.Read(MapNode.Alice).Nodes.Single(n => n.Host == "b.example").Profile!.Name);
        Found(true, Node("b.example", 1, "", "B"));
        Assert.Equal(["b.example"], Crawled());
    }

    [Fact]
    public async Task The_api_runs_a_crawl_for_an_administrator_and_shows_the_last_run_to_members()
    {
        await using var host = await MapHost.StartAsync(_us.Node, s => s.AddSingleton(_us.Directory).AddSingleton(_us.Crawler));
        using var alice = host.Client("alice");
        using var root = host.Client("root");
        Assert.Equal("""{"lastRun":null}""", await alice.GetStringAsync("/api/map/directory/crawl"));
        var refused = await alice.PostAsync("/api/map/directory/crawl", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var ran = await root.PostAsync("/api/map/directory/crawl", null);
        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        using var run = JsonDocument.Parse(await ran.Content.ReadAsStringAsync());
        Assert.Equal("root", run.RootElement.GetProperty("by").GetString());
        // b.example does not resolve here: skipped with the reason, the run goes on to its end.
        Assert.Equal("https://b.example", run.RootElement.GetProperty("skipped")[0].GetProperty("url").GetString());
        using var last = JsonDocument.Parse(await alice.GetStringAsync("/api/map/directory/crawl"));
        Assert.Equal("root", last.RootElement.GetProperty("lastRun").GetProperty("by").GetString());
    }

    private List<string> Crawled() => _us.Node.ModuleStore.Read("map", CrawledNodes.All).Select(c => c.Host).ToList();
}
