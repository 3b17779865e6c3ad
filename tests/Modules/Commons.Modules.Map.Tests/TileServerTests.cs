using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;
using Commons.Modules.Map.Tiles;
using Commons.Storage.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The optional tile server: the administrator's address checked (https, {z}/{x}/{y} once each, no user information,
/// bounded), kept in the module's data, the Web-Mercator maths on known places, and the drawing: XML with the tiles
/// covering Brussels beneath the organisations and the attribution; without the setting nothing names a tile host.
/// </summary>
public sealed class TileServerTests : IAsyncLifetime
{
    private const string Good = "https://tile.example/osm/{z}/{x}/{y}.png";
    private readonly MapNode _node = new();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var directory = new NetworkDirectory(_node.Directory, _node.DatasetStore, _node.Subscriptions, new LiteFollowerStore(_node.Database),
            _node.Replicas, _node.ModuleStore, _node.Clock);
        _host = await MapHost.StartAsync(_node, s => s.AddSingleton(directory));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Theory]
    [InlineData("https://tile.example/{z}/{x}/{y}.png", "https://tile.example")]
    [InlineData("https://tiles.example:8443/styles/{z}/{x}/{y}@2x.png?key=public", "https://tiles.example:8443")]
    [InlineData("http://127.0.0.1:5099/{z}/{x}/{y}.png", "http://127.0.0.1:5099")]
    [InlineData("http://localhost/{z}/{y}/{x}", "http://localhost")]
    [InlineData("  https://TILE.example/{z}/{x}/{y}.png  ", "https://tile.example")]
    public void A_good_address_is_kept_with_its_origin(string template, string origin)
    {
        var (kept, _) = TileServer.Validate(template, "© OpenStreetMap contributors");
        Assert.Equal(origin, new TileServer(kept, "x", "root", MapNode.Start).Origin);
    }

    [Theory]
    [InlineData(null, "urlTemplate")]
    [InlineData("", "urlTemplate")]
    [InlineData("http://tile.example/{z}/{x}/{y}.png", "urlTemplate")]            // http off loopback
    [InlineData("http://10.0.0.1/{z}/{x}/{y}.png", "urlTemplate")]
    [InlineData("ftp://tile.example/{z}/{x}/{y}.png", "urlTemplate")]
    [InlineData("javascript:alert(1)//{z}/{x}/{y}", "urlTemplate")]
    [InlineData("/tiles/{z}/{x}/{y}.png", "urlTemplate")]                         // not absolute
    [InlineData("https://tile.example/{z}/{x}.png", "urlTemplate")]               // no {y}
    [InlineData("https://tile.example/{z}/{x}/{y}/{y}.png", "urlTemplate")]       // {y} twice
    [InlineData("https://tile.example/{s}/{z}/{x}/{y}.png", "urlTemplate")]       // another placeholder
    [InlineData("https://{z}.tile.example/{x}/{y}.png", "urlTemplate")]           // in the host
    [InlineData("https://user:secret@tile.example/{z}/{x}/{y}.png", "urlTemplate")]
    [InlineData("https://tile.example/{z}/{x}/{y}.png#top", "urlTemplate")]
    [InlineData("https://tile.example/{z}/{x}/{y}.png; script-src *", "urlTemplate")]
    [InlineData("https://tile.example/{z}/{x}/{y}.png\" onload=\"x", "urlTemplate")]
    [InlineData("https://tile.example/{z}/{x}/{y}.png 'unsafe-inline'", "urlTemplate")]
    public void A_bad_address_is_refused_with_its_code(string? template, string path)
    {
        var refused = Assert.Throws<RuleViolationException>(() => TileServer.Validate(template, "© OpenStreetMap contributors"));
        Assert.Equal(MapCodes.InvalidTileServer, refused.Code);
        Assert.Equal(path, refused.Path);
    }

    [Fact]
    public void Too_long_an_address_or_a_missing_long_or_multiline_attribution_is_refused()
    {
        var longer = "https://tile.example/" + new string('a', TileServer.MaxTemplateLength) + "/{z}/{x}/{y}.png";
        Assert.Equal("urlTemplate", Assert.Throws<RuleViolationException>(() => TileServer.Validate(longer, "©")).Path);
        foreach (var attribution in new[] { null, " ", new string('x', TileServer.MaxAttributionLength + 1), "one\nline" })
            Assert.Equal("attribution", Assert.Throws<RuleViolationException>(() => TileServer.Validate(Good, attribution)).Path);
    }

    [Theory]
    [InlineData(50.8467, 4.3525, 12, 2097, 1374)] // Grand-Place
    [InlineData(50.8949, 4.3415, 12, 2097, 1373)] // Atomium
    [InlineData(50.8467, 4.3525, 0, 0, 0)]
    [InlineData(0.0, 0.0, 1, 1, 1)]
    [InlineData(-33.8688, 151.2093, 10, 942, 614)] // Sydney, south and east of both origins
    public void Tiles_of_known_places(double latitude, double longitude, int z, int x, int y) =>
        Assert.Equal((x, y), WebMercator.Tile(latitude, longitude, z));

    [Fact]
    public void The_tiles_covering_brussels_at_zoom_12_are_three_columns_by_four_rows()
    {
        var tiles = WebMercator.Covering(TileMapDrawing.South, TileMapDrawing.West, TileMapDrawing.North, TileMapDrawing.East, TileMapDrawing.Zoom);
        Assert.Equal(12, tiles.Count);
        Assert.Equal([2096, 2097, 2098], tiles.Select(t => t.X).Distinct().Order());
        Assert.Equal([1372, 1373, 1374, 1375], tiles.Select(t => t.Y).Distinct().Order());
    }

    [Fact]
    public void The_drawing_is_xml_with_the_tiles_beneath_the_organisations_and_the_attribution()
    {
        var server = new TileServer(Good, "© OpenStreetMap <contributors>", "root", MapNode.Start);
        var grandPlace = new NodeEntry { Host = "", Profile = ProfileAt("Maison <b>Kaai</b>", 50.8467m, 4.3525m) };
        var atomium = new NodeEntry { Host = "b.example", Profile = ProfileAt("Atomium Atelier", 50.8949m, 4.3415m) };
        var svg = XDocument.Parse(TileMapDrawing.Draw(server, [grandPlace, atomium], new TileMapWords("Title", "This node", server.Attribution)).ToString()).Root!;

        var images = svg.Descendants().Where(e => e.Name.LocalName == "image").ToList();
        Assert.Equal(12, images.Count);
        Assert.Contains(images, i => (string?)i.Attribute("href") == "https://tile.example/osm/12/2097/1374.png");
        Assert.Contains(images, i => (string?)i.Attribute("href") == "https://tile.example/osm/12/2097/1373.png");
        Assert.All(images, i => Assert.StartsWith("https://tile.example/osm/12/", (string?)i.Attribute("href")));
        // Beneath: every tile comes before the first organisation in document order, so it is painted first.
        var elements = svg.Descendants().ToList();
        var firstOrganisation = elements.FindIndex(e => e.Name.LocalName == "g" && ((string?)e.Attribute("class"))?.StartsWith("organisation", StringComparison.Ordinal) == true);
        Assert.True(images.Max(elements.IndexOf) < firstOrganisation);
        // Each organisation's dot lies on the tile its place falls in (tile 2097/1374's corner is its x·256 − left, y·256 − top).
        var (left, top) = WebMercator.Pixel(TileMapDrawing.North, TileMapDrawing.West, TileMapDrawing.Zoom);
        var dot = svg.Descendants().First(e => e.Name.LocalName == "circle");
        var (cx, cy) = (double.Parse((string)dot.Attribute("cx")!, System.Globalization.CultureInfo.InvariantCulture), double.Parse((string)dot.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2097, (int)Math.Floor((cx + left) / 256));
        Assert.Equal(1374, (int)Math.Floor((cy + top) / 256));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "Maison <b>Kaai</b>");
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "© OpenStreetMap <contributors>");
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "style" or "b" or "foreignObject");
    }

    private static Organisation ProfileAt(string name, decimal latitude, decimal longitude) =>
        Organisation.Read(MapNode.Doc(JsonSerializer.Serialize(new { name, geolocation = new { lat = latitude, lon = longitude } })))!;

    [Fact]
    public void The_setting_is_an_administrators_kept_in_the_store_and_cleared()
    {
        Assert.Null(_node.Tiles.Get(MapNode.Alice));
        Assert.Empty(_node.Tiles.Origins);
        Assert.Throws<ForbiddenException>(() => _node.Tiles.Set(MapNode.Alice, Good, "©"));
        _node.Tiles.Set(MapNode.Admin, Good, "© OSM");
        Assert.Equal(["https://tile.example"], _node.Tiles.Origins);

        var again = new TileSettings(_node.ModuleStore, _node.Clock); // as after a restart
        Assert.Equal(new TileServer(Good, "© OSM", "root", MapNode.Start), again.Get(MapNode.Alice));
        Assert.Throws<ForbiddenException>(() => again.Clear(MapNode.Alice));
        Assert.True(again.Clear(MapNode.Admin));
        Assert.False(again.Clear(MapNode.Admin));
        Assert.Null(new TileSettings(_node.ModuleStore, _node.Clock).Current);
    }

    [Fact]
    public async Task Over_http_a_bad_value_is_a_problem_with_its_code_and_the_page_names_no_tile_host_until_set()
    {
        using var root = _host.Client("root", "fr");
        using var alice = _host.Client("alice", "fr");
        Assert.Equal(JsonValueKind.Null, (await alice.GetFromJsonAsync<JsonElement>("/api/map/tiles")).GetProperty("tileServer").ValueKind);
        var before = await alice.GetStringAsync("/map/drawing");
        Assert.DoesNotContain("<image", before, StringComparison.Ordinal);
        Assert.DoesNotContain("tile.example", before, StringComparison.Ordinal);
        Assert.DoesNotContain("tile-map", before, StringComparison.Ordinal);

        var bad = await root.PutAsJsonAsync("/api/map/tiles", new { urlTemplate = "http://tile.example/{z}/{x}/{y}.png", attribution = "© OSM" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_tile_server", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PutAsJsonAsync("/api/map/tiles", new { urlTemplate = Good, attribution = "© OSM" })).StatusCode);
        Assert.Null(_node.Tiles.Current);

        var set = await root.PutAsJsonAsync("/api/map/tiles", new { urlTemplate = Good, attribution = "© OpenStreetMap" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var kept = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://tile.example", kept.GetProperty("origin").GetString());
        Assert.Equal("root", kept.GetProperty("setBy").GetString());

        var page = await alice.GetStringAsync("/map/drawing");
        var start = page.IndexOf("<svg", StringComparison.Ordinal);
        var svg = XDocument.Parse(page[start..(page.IndexOf("</svg>", start, StringComparison.Ordinal) + "</svg>".Length)]).Root!;
        Assert.Equal("tile-map", (string?)svg.Attribute("id"));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "image" && (string?)e.Attribute("href") == "https://tile.example/osm/12/2098/1375.png");
        Assert.Contains("Tuiles de carte\u00a0: © OpenStreetMap", WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync("/api/map/tiles")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await root.DeleteAsync("/api/map/tiles")).StatusCode);
        Assert.DoesNotContain("tile.example", await alice.GetStringAsync("/map/drawing"), StringComparison.Ordinal);
    }
}
