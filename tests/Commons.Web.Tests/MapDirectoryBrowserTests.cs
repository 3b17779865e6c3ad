using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The map's directory and drawings on a real node: 404 while the module is off; the SVGs served as image/svg+xml with
/// a strict CSP, parsed as XML with a hostile organisation name kept as text; the pages in fr and nl at 360 and 1280 px
/// with axe finding nothing, and the drawings rendered by Chromium (not blank).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MapDirectoryBrowserTests : IAsyncLifetime
{
    public const string Hostile = "Atelier <b>gras</b> & \"Vélo\" <script>alert(1)</script>";
    private readonly UiNode _node = new();

    public Task InitializeAsync() { _ = _node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>The module on, our profile, an offer and a need, a followed peer whose profile has a hostile name, a follower.</summary>
    private static void Seed(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "map", true);
        var datasets = node.Service<DatasetService>();
        var records = node.Service<RecordService>();
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = "map-profile", Title = new LocalizedText("Profil", "Profiel", "Profile"), Kind = ProfileKind.KindName });
        node.Service<MapService>().PutProfile(UiNode.Admin, JsonSerializer.SerializeToElement(new
        {
            name = "Maison de quartier Kaai", commune = "21001", sectors = new[] { "alimentation" }, languages = new[] { "fr", "nl" },
            description = new { fr = "Une maison de quartier à Anderlecht.", nl = "Een buurthuis in Anderlecht." },
        }), null);
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = "map-offers", Title = new LocalizedText("Offres", "Aanbod", "Offers"), Kind = OffersKind.KindName });
        records.Create(UiNode.Admin, "map-offers", "need-room", JsonSerializer.SerializeToElement(new { kind = "need", category = "place", title = "Salle de réunion", language = "fr", commune = "21013" }));
        records.Create(UiNode.Admin, "map-offers", "offer-drill", JsonSerializer.SerializeToElement(new { kind = "offer", category = "equipment", title = "Perceuse", language = "fr" }));
        var s = new Subscription
        {
            Id = "peer-profile", DatasetActor = "https://velo.invalid/datasets/profile", Inbox = "https://velo.invalid/inbox",
            FollowActivityId = "https://us.invalid/follows/1", State = SubscriptionState.Accepted, RequestedBy = "admin", Since = DateTimeOffset.UtcNow,
            Schema = """{"$id":"/schemas/map.profile.v1.json","type":"object"}""",
        };
        node.Service<ISubscriptionStore>().Upsert(s);
        node.Service<IReplicaStore>().ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = s.Id, RecordId = "profile", ObjectUri = "https://velo.invalid/datasets/profile/records/profile", Revision = 1,
            Data = JsonSerializer.SerializeToElement(new { name = Hostile, commune = "21007", sectors = new[] { "mobilité" } }), ReceivedAt = DateTimeOffset.UtcNow,
        });
        node.AddFollower("map-offers", "ander.invalid", FollowerState.Accepted);
    }

    [Fact]
    public async Task Off_the_pages_and_files_are_not_found_on_they_answer_and_the_svg_keeps_names_as_text()
    {
        using var admin = await _node.AdminBrowserAsync();
        string[] paths = ["/map/directory", "/map/drawing", "/map/drawing/communes.svg", "/map/drawing/graph.svg", "/map/directory.csv", "/map/directory.geojson"];
        foreach (var path in paths)
            Assert.True((await admin.GetAsync(path)).Response.StatusCode == HttpStatusCode.NotFound, $"{path} while the module is off");

        Seed(_node);
        foreach (var path in paths)
            Assert.True((await admin.GetAsync(path)).Response.StatusCode == HttpStatusCode.OK, $"{path} once the module is on");
        var (directory, html) = await admin.GetAsync("/map/directory?q=velo");
        Assert.Contains("Atelier &lt;b&gt;gras&lt;/b&gt;", html);
        Assert.DoesNotContain("Maison de quartier Kaai", html);

        foreach (var name in new[] { "communes", "graph" })
        {
            var (response, text) = await admin.GetAsync($"/map/drawing/{name}.svg");
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            var svg = XDocument.Parse(text);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "style" or "b");
            if (name == "graph") Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.StartsWith("Atelier <b>gras</b> & \"Vél", StringComparison.Ordinal));
        }

        var (csv, csvText) = await admin.GetAsync("/map/directory.csv?commune=21007");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, csvText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\"Atelier <b>gras</b> & \"\"Vélo\"\" <script>alert(1)</script>\"", csvText);

        _node.Service<ModuleAdministration>().Set(UiNode.Admin, "map", false);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/map/drawing/graph.svg")).Response.StatusCode);
    }

    [ChromiumTheory]
    [InlineData("fr-BE", "Annuaire du réseau", "Carte et liens du réseau")]
    [InlineData("nl-BE", "Gids van het netwerk", "Kaart en verbanden van het netwerk")]
    public async Task The_pages_pass_axe_at_both_widths_and_the_drawings_render(string locale, string directoryTitle, string drawingTitle)
    {
        Seed(_node);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, 1280, 900);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);
        await BrowserPageChecks.SignInAsAdminAsync(page);
        var lang = locale[..2];

        await page.GotoAsync("/map/directory", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(directoryTitle, (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal(3, await page.Locator("#directory > li").CountAsync()); // us, the node we follow, the node that follows us
        await page.GotoAsync("/map/directory?language=" + lang, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(1, await page.Locator("#directory > li").CountAsync()); // only our profile names its languages
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, $"/map/directory ({lang})");

        await page.GotoAsync("/map/drawing", new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(drawingTitle, (await page.Locator("h1").InnerTextAsync()).Trim());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, $"/map/drawing ({lang})");
        await page.SetViewportSizeAsync(1280, 900);
        foreach (var id in new[] { "communes-drawing", "graph-drawing" })
        {
            var image = page.Locator("#" + id);
            Assert.True(await image.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), $"{id} did not load");
            var summary = Png.Read(await image.ScreenshotAsync());
            Assert.True(summary.DistinctColours >= 4 && summary.ShareNotBackground > 0.01, $"{id} looks blank");
        }
        Assert.Empty(blocked);
    }
}
