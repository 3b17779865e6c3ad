using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>The member pages over real HTTP: the profile (or what to do without one), our offers and needs in plain words, and the matches with their reasons and the page of each record.</summary>
public sealed class MapPagesHttpTests : IAsyncLifetime
{
    private const string Profile = """
        {"name":"Buurthuis Kaai","nickname":["Kaai"],"description":{"fr":"Maison de quartier à Anderlecht.","nl":"Buurthuis in Anderlecht."},
         "mission":{"nl":"Samen de buurt maken."},"criteria":{"transformation":"Buurtbewoners beslissen.","experiment":"Een gedeelde keuken."},
         "sectors":["food","culture"],"legal_form":"asbl_vzw","commune":"21009","languages":["fr","nl"],"primary_url":"https://kaai.example",
         "contact_details":{"email":"info@kaai.example"},"telephone":"+32 2 111 11 11"}
        """;

    private readonly MapNode _node = new();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MapHost.StartAsync(_node);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task Without_a_profile_the_page_says_what_to_do_to_an_administrator_and_to_a_member()
    {
        using var root = _host.Client("root", "fr");
        using var alice = _host.Client("alice", "nl");
        var admin = await Page(root, "/map");
        Assert.Contains("id=\"no-profile\"", admin);
        Assert.Contains("href=\"/datasets/new\"", admin);
        var member = await Page(alice, "/map");
        Assert.Contains("Een beheerder van dit knooppunt kan ze maken.", member);
        Assert.DoesNotContain("/datasets/new", member);

        _node.CreateDataset("profile", ProfileKind.KindName);
        Assert.Contains("href=\"/datasets/profile/records/new\"", await Page(root, "/map"));
        Assert.DoesNotContain("records/new", await Page(alice, "/map"));
    }

    [Fact]
    public void The_first_run_step_is_done_once_the_profile_exists()
    {
        using var services = new ServiceCollection().AddSingleton<IModuleStore>(_node.ModuleStore).BuildServiceProvider();
        var step = Assert.Single(new MapModule().FirstRunSteps);
        Assert.False(step.IsDone(services, MapNode.Alice));
        _node.CreateDataset("profile", ProfileKind.KindName);
        Assert.False(step.IsDone(services, MapNode.Alice));
        _node.Map.PutProfile(MapNode.Admin, MapNode.Doc(Profile), null);
        Assert.True(step.IsDone(services, MapNode.Alice));
    }

    [Fact]
    public async Task The_profile_reads_in_the_readers_language_with_criteria_commune_and_contact_and_only_editors_may_edit()
    {
        _node.CreateDataset("profile", ProfileKind.KindName);
        _node.Map.PutProfile(MapNode.Admin, MapNode.Doc(Profile), null);
        using var fr = _host.Client("alice", "fr");
        var page = await Page(fr, "/map");
        Assert.Contains("<h2 id=\"profile-name\">Buurthuis Kaai</h2>", page);
        Assert.Contains("Maison de quartier à Anderlecht.", page);
        Assert.Contains("Samen de buurt maken.", page); // no French mission: the next language there is
        Assert.Contains("Transforme les structures de la société", page);
        Assert.Contains("Buurtbewoners beslissen.", page);
        Assert.Contains("Pas encore décrit", page); // two criteria without a statement
        Assert.Contains("Ixelles", page);
        Assert.Contains("ASBL", page);
        Assert.Contains("français, néerlandais", page);
        Assert.Contains("info@kaai.example", page);
        Assert.Contains("href=\"https://kaai.example/\"", page);
        Assert.DoesNotContain("edit-profile", page);

        using var nl = _host.Client("root", "nl");
        var dutch = await Page(nl, "/map");
        Assert.Contains("Buurthuis in Anderlecht.", dutch);
        Assert.Contains("Elsene", dutch);
        Assert.Contains("VZW", dutch);
        Assert.Contains("href=\"/datasets/profile/records/profile\"", dutch);
    }

    [Fact]
    public async Task Listings_show_kind_category_window_expiry_and_conditions_in_words_and_hide_a_private_dataset()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "van", MapNode.Doc("""
            {"kind":"offer","category":"logistics","title":"Camionnette le week-end","language":"fr","available_from":"2026-04-04T00:00:00+02:00",
             "available_until":"2026-06-30T00:00:00+02:00","expires_at":"2026-07-01T00:00:00+02:00",
             "conditions":[{"type":"price_eur","amount":25,"unit":"jour"},{"type":"exchange"}],"capacity":{"amount":8,"unit":"m3"},"commune":"21004"}
            """));
        _node.Records.Create(MapNode.Admin, "offers", "room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr"}"""));
        var hidden = _node.Datasets.Create(MapNode.Admin, new DatasetDraft { Slug = "secret", Title = new LocalizedText("secret", null, null), Kind = OffersKind.KindName, Policy = SharingPolicy.Private });
        _node.Records.Create(MapNode.Admin, hidden.Slug, "s", MapNode.Doc("""{"kind":"need","category":"admin","title":"Besoin caché","language":"fr"}"""));

        using var fr = _host.Client("alice", "fr");
        var page = await Page(fr, "/map/listings");
        Assert.Contains("<a href=\"/datasets/offers/records/van\">Camionnette le week-end</a>", page);
        Assert.Contains("Logistique (stockage, transport, véhicules)", page);
        Assert.Contains("Offre", page);
        Assert.Contains("du 4 avril 2026 au 30 juin 2026", page);
        Assert.Contains("datetime=\"2026-07-01T00:00:00+02:00\"", page);
        Assert.Contains("25\u00a0€ par jour · En échange d’autre chose", page);
        Assert.Contains("8 m³", page);
        Assert.Contains("Bruxelles", page);
        Assert.Contains("Cherche salle de réunion", page);
        Assert.Contains("Non précisées", page);
        Assert.DoesNotContain("Besoin caché", page);
        Assert.DoesNotContain("records/new", page); // a member without an editor's grant adds nothing

        using var reader = _host.Client("reader", "nl");
        var dutch = await Page(reader, "/map/listings");
        Assert.Contains("Logistiek (opslag, vervoer, voertuigen)", dutch);
        Assert.DoesNotContain("records/new", dutch);
        using var root = _host.Client("root", "fr");
        var all = await Page(root, "/map/listings");
        Assert.Contains("Besoin caché", all);
        Assert.Contains("href=\"/datasets/offers/records/new\"", all);
        Assert.Contains("href=\"/datasets/secret/records/new\"", all);
    }

    [Fact]
    public async Task Matches_show_each_fitting_offer_with_its_origin_record_page_and_reasons_in_the_readers_language()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr","commune":"21013"}"""));
        using var fr = _host.Client("alice", "fr");
        Assert.Contains("id=\"no-matches\"", await Page(fr, "/map/matches"));

        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal te huur","language":"nl","commune":"21009"}"""),
            ("gym", """{"kind":"offer","category":"place","title":"Sportzaal te huur","language":"nl"}"""));
        var page = await Page(fr, "/map/matches");
        Assert.Contains("<h2 id=\"ours-need-room\"><span class=\"badge\">Besoin</span> Cherche salle de réunion</h2>", page);
        Assert.Contains("<a href=\"/subscriptions/sub-b/records/zaal\">Vergaderzaal te huur</a>", page);
        Assert.Contains("De b.example", page);
        Assert.Contains("même catégorie\u00a0: Lieux (salles, bureaux, terrains)", page);
        Assert.Contains("dit la même chose en d’autres mots\u00a0:", page);
        Assert.Contains("à proximité\u00a0: Saint-Gilles → Ixelles", page);
        Assert.DoesNotContain("Sportzaal", page);

        using var nl = _host.Client("bob-is-unknown", "nl");
        Assert.Equal(HttpStatusCode.Unauthorized, (await nl.GetAsync("/map/matches")).StatusCode);
        using var dutch = _host.Client("reader", "nl");
        var text = await Page(dutch, "/map/matches");
        Assert.Contains("zelfde categorie: Plaatsen (zalen, kantoren, percelen)", text);
        Assert.Contains("dichtbij: Sint-Gillis → Elsene", text);
    }

    /// <summary>The page's HTML with character references read (the encoder writes some characters, such as U+00A0, as references).</summary>
    private static async Task<string> Page(HttpClient client, string path) => WebUtility.HtmlDecode(await client.GetStringAsync(path));
}
