using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Support;
using Commons.Storage.Federation;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The directory over a real store: the nodes of followed datasets and of followers, their profiles from replicas of
/// map.profile datasets, the filters, the GeoJSON and CSV exports, the SVG drawings with hostile names kept as text,
/// and nothing from a private dataset or a subscription not accepted.
/// </summary>
public sealed class DirectoryTests : IDisposable
{
    private const string Hostile = "Atelier <script>alert(1)</script> & \"Vélo\", Forest\nligne 2";
    private static readonly string ProfileSchema = $$"""{"$id":"/schemas/map.profile.v1.json","type":"object"}""";
    private readonly MapNode _node = new();
    private readonly LiteFollowerStore _followers;
    private readonly NetworkDirectory _directory;

    public DirectoryTests()
    {
        _followers = new LiteFollowerStore(_node.Database);
        _directory = new NetworkDirectory(_node.Directory, _node.DatasetStore, _node.Subscriptions, _followers, _node.Replicas, _node.ModuleStore, _node.Clock);
    }

    public void Dispose() => _node.Dispose();

    private void Seed()
    {
        _node.CreateDataset("profile", ProfileKind.KindName);
        _node.Map.PutProfile(MapNode.Admin, MapNode.Doc("""
            {"name":"Buurthuis Kaai","commune":"21001","sectors":["Alimentation","logement"],"languages":["nl","fr"],
             "contact_details":{"email":"secret@kaai.example"},"telephone":"+32 2 999 99 99"}
            """), null);
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-1", MapNode.Doc("""{"kind":"need","category":"place","title":"Salle","language":"fr","commune":"21013"}"""));
        _node.Records.Create(MapNode.Admin, "offers", "offer-1", MapNode.Doc("""{"kind":"offer","category":"equipment","title":"Perceuse","language":"fr"}"""));
        FollowProfile("b.example", "sub-b-profile", SubscriptionState.Accepted, new
        {
            name = Hostile, commune = "21007", sectors = new[] { "Mobilité" }, languages = new[] { "fr" },
            geolocation = new { lat = 50.8105m, lon = 4.3195m }, primary_url = "https://b.example",
        });
        _node.Follow("b.example", "sub-b-offers", SubscriptionState.Accepted,
            ("o1", """{"kind":"offer","category":"place","title":"Zaal","commune":"21009"}"""),
            ("o2", """{"kind":"offer","category":"place","title":"Oud","expires_at":"2020-01-01T00:00:00Z"}"""));
        FollowProfile("pending.example", "sub-pending", SubscriptionState.Pending, new { name = "Pas encore accepté", commune = "21004" });
        _followers.Upsert(new Follower
        {
            DatasetSlug = "offers", ActorUri = "https://c.example:8443/datasets/x", Inbox = "https://c.example:8443/inbox",
            FollowActivityId = "https://c.example:8443/f/1", State = FollowerState.Accepted, Since = MapNode.Start,
        });
    }

    private void FollowProfile(string host, string id, SubscriptionState state, object profile)
    {
        _node.Subscriptions.Upsert(new Subscription
        {
            Id = id, DatasetActor = $"https://{host}/datasets/profile", Inbox = $"https://{host}/inbox", FollowActivityId = $"https://us/follows/{id}",
            State = state, RequestedBy = "root", Since = MapNode.Start, Schema = ProfileSchema,
        });
        _node.Replicas.ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = id, RecordId = "profile", ObjectUri = $"https://{host}/datasets/profile/records/profile", Revision = 1,
            Data = JsonSerializer.SerializeToElement(profile), ReceivedAt = MapNode.Start,
        });
    }

    [Fact]
    public void Filters_by_the_category_of_the_open_offers_and_needs_we_hold_of_each_node()
    {
        Seed();
        Assert.Equal(["", "b.example"], _directory.Search(MapNode.Alice, new DirectoryFilter(Category: "place")).Select(n => n.Host));
        Assert.Equal([""], _directory.Search(MapNode.Alice, new DirectoryFilter(Category: "EQUIPMENT")).Select(n => n.Host));
        Assert.Empty(_directory.Search(MapNode.Alice, new DirectoryFilter(Category: "admin")));
        Assert.Equal(["equipment", "place"], _directory.Read(MapNode.Alice).Nodes.Single(n => n.IsUs).Categories);
    }

    [Fact]
    public void Knows_the_nodes_it_follows_and_its_followers_with_their_profiles_and_open_listings()
    {
        Seed();
        var network = _directory.Read(MapNode.Alice);
        Assert.Equal(["", "b.example", "c.example:8443", "pending.example"], network.Nodes.Select(n => n.Host));
        var us = network.Nodes[0];
        Assert.Equal("Buurthuis Kaai", us.Profile!.Name);
        Assert.Equal((1, 1), (us.OpenOffers, us.OpenNeeds));
        var b = network.Nodes[1];
        Assert.Equal(Hostile, b.Profile!.Name);
        Assert.Equal(2, b.WeFollow);
        Assert.Equal((1, 0), (b.OpenOffers, b.OpenNeeds)); // the expired offer is not counted
        Assert.Null(network.Nodes[3].Profile); // a subscription not accepted: its replica is not read
        Assert.Equal(0, network.Nodes[3].WeFollow);
        Assert.Equal(1, network.Nodes[2].FollowsUs);
        Assert.Contains(new Follow("", "b.example", 2), network.Follows);
        Assert.Contains(new Follow("c.example:8443", "", 1), network.Follows);
        var forest = network.Communes.Single(c => c.Commune.Code == "21007");
        Assert.Equal(1, forest.Organisations);
        Assert.Equal(1, network.Communes.Single(c => c.Commune.Code == "21013").OpenNeeds);
        Assert.Equal(1, network.Communes.Single(c => c.Commune.Code == "21009").OpenOffers);
        Assert.Equal(1, network.Communes.Single(c => c.Commune.Code == "21001").OpenOffers); // our offer without a commune: our profile's
        Assert.Equal(19, network.Communes.Count);
    }

    [Fact]
    public void Filters_by_words_sector_commune_and_language_without_accents_or_case()
    {
        Seed();
        string[] Hosts(DirectoryFilter f) => _directory.Search(MapNode.Alice, f).Select(n => n.Host).ToArray();
        Assert.Equal(["b.example"], Hosts(new DirectoryFilter(Text: "velo FOREST")));
        Assert.Equal(["b.example"], Hosts(new DirectoryFilter(Text: "vorst"))); // the commune's Dutch name
        Assert.Equal([""], Hosts(new DirectoryFilter(Sector: "alimentation")));
        Assert.Equal(["b.example"], Hosts(new DirectoryFilter(Sector: "mobilite")));
        Assert.Equal([""], Hosts(new DirectoryFilter(Commune: "21001")));
        Assert.Equal(["", "b.example"], Hosts(new DirectoryFilter(Language: "fr")));
        Assert.Equal([""], Hosts(new DirectoryFilter(Language: "nl", Text: "kaai")));
        Assert.Empty(Hosts(new DirectoryFilter(Text: "nothing-like-this")));
        Assert.Equal(["c.example:8443"], Hosts(new DirectoryFilter(Text: "c.example:8443")));
    }

    [Fact]
    public void A_private_dataset_never_feeds_the_directory()
    {
        Seed();
        _node.Datasets.Update(MapNode.Admin, "profile", new DatasetDraft { Policy = SharingPolicy.Private });
        _node.Datasets.Update(MapNode.Admin, "offers", new DatasetDraft { Policy = SharingPolicy.Private });
        var network = _directory.Read(MapNode.Alice);
        Assert.Null(network.Nodes[0].Profile);
        Assert.Equal((0, 0), (network.Nodes[0].OpenOffers, network.Nodes[0].OpenNeeds));
        Assert.DoesNotContain(network.Nodes, n => n.Host == "c.example:8443"); // it follows a private dataset only
        var exported = DirectoryExports.Csv(network.Nodes) + DirectoryExports.GeoJson(network.Nodes).ToJsonString();
        Assert.DoesNotContain("Kaai", exported, StringComparison.Ordinal);
        Assert.Equal(0, network.Communes.Sum(c => c.OpenNeeds));
    }

    [Fact]
    public void Fields_our_profile_keeps_home_stay_out_of_the_directory()
    {
        Seed();
        _node.Datasets.Update(MapNode.Admin, "profile", new DatasetDraft { ExcludedFields = ["contact_details", "telephone", "sectors", "commune"] });
        var us = _directory.Read(MapNode.Alice).Nodes[0];
        Assert.Equal("Buurthuis Kaai", us.Profile!.Name);
        Assert.Empty(us.Profile.Sectors);
        Assert.Null(us.Profile.Commune);
        Assert.Null(us.Point);
    }

    [Fact]
    public void The_geojson_is_a_feature_collection_of_points_longitude_first()
    {
        Seed();
        var json = JsonDocument.Parse(DirectoryExports.GeoJson(_directory.Read(MapNode.Alice).Nodes).ToJsonString()).RootElement;
        Assert.Equal("FeatureCollection", json.GetProperty("type").GetString());
        var features = json.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(4, features.Count);
        Assert.All(features, f => Assert.Equal("Feature", f.GetProperty("type").GetString()));
        var b = features.Single(f => f.GetProperty("id").GetString() == "b.example");
        var coordinates = b.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal("Point", b.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal([4.3195m, 50.8105m], coordinates.EnumerateArray().Select(c => c.GetDecimal()));
        Assert.Equal("geolocation", b.GetProperty("properties").GetProperty("located_by").GetString());
        Assert.Equal(Hostile, b.GetProperty("properties").GetProperty("name").GetString());
        var us = features.Single(f => f.GetProperty("id").GetString() == "this-node");
        Assert.Equal([4.3082m, 50.8365m], us.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDecimal()));
        Assert.Equal("commune", us.GetProperty("properties").GetProperty("located_by").GetString());
        Assert.Equal(JsonValueKind.Null, features.Single(f => f.GetProperty("id").GetString() == "c.example:8443").GetProperty("geometry").ValueKind);
        Assert.DoesNotContain("secret@kaai.example", json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_csv_has_a_header_and_quotes_commas_quotes_and_line_breaks()
    {
        Seed();
        var csv = DirectoryExports.Csv(_directory.Read(MapNode.Alice).Nodes);
        Assert.DoesNotContain("secret@kaai.example", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("999 99 99", csv, StringComparison.Ordinal);
        var rows = ReadCsv(csv);
        Assert.Equal("address", rows[0][0]);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        var b = rows.Single(r => r[0] == "b.example");
        Assert.Equal(Hostile, b[rows[0].IndexOf("name")]);
        Assert.Equal("50.8105", b[rows[0].IndexOf("latitude")]);
        Assert.Equal("Alimentation; logement", rows[1][rows[0].IndexOf("sectors")]);
        Assert.Equal("'=HYPERLINK(\"x\")", DirectoryExports.Field("=HYPERLINK(\"x\")").Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal));
        Assert.Equal("-12.5", DirectoryExports.Field("-12.5"));
    }

    [Fact]
    public void The_drawings_parse_as_svg_and_keep_hostile_names_as_text()
    {
        Seed();
        var network = _directory.Read(MapNode.Alice);
        var words = new DrawingWords("Title <&>", "Organisations:", "Offers:", "Needs:", "This node", c => c.Fr);
        foreach (var drawing in new[] { Drawings.Communes(network.Communes, words), Drawings.Graph(network, words) })
        {
            var parsed = XDocument.Parse(drawing.ToString(SaveOptions.DisableFormatting));
            XNamespace svg = "http://www.w3.org/2000/svg";
            Assert.Equal(svg + "svg", parsed.Root!.Name);
            Assert.DoesNotContain(parsed.Descendants(), e => e.Name.LocalName is "script" or "style" or "foreignObject" or "image");
            Assert.DoesNotContain(parsed.Descendants().Attributes(), a => a.Name.LocalName == "style" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal)
                || a.Value.Contains("http", StringComparison.Ordinal) && a.Name.LocalName != "xmlns");
            Assert.Equal("Title <&>", parsed.Descendants(svg + "title").Single().Value);
        }
        var graph = XDocument.Parse(Drawings.Graph(network, words).ToString());
        Assert.Contains(graph.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.StartsWith("Atelier <script>", StringComparison.Ordinal));
        Assert.Equal(2, graph.Descendants().Count(e => e.Name.LocalName == "line"));
        var communes = XDocument.Parse(Drawings.Communes(network.Communes, words).ToString());
        Assert.Equal(19, communes.Descendants().Count(e => e.Name.LocalName == "g"));
        Assert.Contains(communes.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == "Berchem-");
    }

    [Fact]
    public void The_communes_each_have_their_own_cell()
    {
        var cells = Drawings.Place(Matching.Communes.All);
        Assert.Equal(19, cells.Values.Distinct().Count());
        // West stays west: Anderlecht left of Auderghem, Jette above Forest.
        Assert.True(cells["21001"].Col < cells["21002"].Col);
        Assert.True(cells["21010"].Row < cells["21007"].Row);
    }

    [Fact]
    public void A_token_without_read_scope_is_refused()
    {
        Assert.Throws<Core.Errors.ForbiddenException>(() => _directory.Read(MapNode.Alice with { Scopes = Core.Tokens.TokenScopes.None }));
    }

    /// <summary>An RFC 4180 reader, written here so the test does not trust the writer's own idea of quoting.</summary>
    private static List<List<string>> ReadCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(ch);
        }
        Assert.False(quoted);
        Assert.Empty(row);
        return rows;
    }
}
