using System.Net;
using Commons.Core.Datasets;
using Commons.Probe;
using static Commons.Web.Tests.DatasetPages;

namespace Commons.Web.Tests;

/// <summary>
/// A module's pages and menu entry, and its kinds on the dataset pages, follow the administrator's switch at once:
/// a node with the test module <c>probe</c> (off until turned on), over real HTTP.
/// </summary>
public sealed class ModulePagesTests : IAsyncLifetime
{
    private readonly UiNode _node = new() { Modules = [new ProbeModule()] };
    public Task InitializeAsync() { _ = _node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static bool NavLinksProbe(string html) => html.Contains("<a href=\"/probe\">Probe</a>", StringComparison.Ordinal);

    private static async Task Switch(Browser admin, bool on, HttpStatusCode expected = HttpStatusCode.Redirect)
    {
        var response = await admin.PostPageFormAsync("/admin/modules", "module-switch", ("switch", on ? "probe:on" : "probe:off"));
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
            Assert.Equal($"/admin/modules?done={(on ? "on" : "off")}&module=probe", Location(response));
    }

    [Fact]
    public async Task Turning_a_module_on_and_off_on_the_admin_page_mounts_and_hides_its_page_and_menu_entry()
    {
        using var admin = await _node.AdminBrowserAsync();
        using var member = await _node.MemberBrowserAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/probe")).Response.StatusCode);
        Assert.False(NavLinksProbe((await member.GetAsync("/")).Html));
        var (listing, html) = await admin.GetAsync("/admin/modules");
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Contains("probe", Browser.RowIds(html, "modules", "module-"));
        Assert.Contains("href=\"/schemas/probe.slots.v1.json\"", html);

        await Switch(admin, on: true);
        Assert.Contains("Probe is on", (await admin.GetAsync("/admin/modules?done=on&module=probe")).Html);
        var (page, probeHtml) = await member.GetAsync("/probe");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1 id=\"probe-title\">Probe page</h1>", probeHtml);
        Assert.True(NavLinksProbe(probeHtml), "the module's page has the node's layout and menu");
        Assert.True(NavLinksProbe((await member.GetAsync("/")).Html));
        // In French, the module's own label.
        using var french = await _node.SignedInAsync(_node.CreateMember(), acceptLanguage: "fr");
        Assert.Contains("<a href=\"/probe\">Sonde</a>", (await french.GetAsync("/")).Html);

        await Switch(admin, on: false);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/probe")).Response.StatusCode);
        Assert.False(NavLinksProbe((await member.GetAsync("/")).Html));
    }

    [Fact]
    public async Task Only_an_administrator_sees_and_switches_modules()
    {
        using var member = await _node.MemberBrowserAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/admin/modules")).Response.StatusCode);
        var (_, page) = await member.GetAsync("/datasets/new");
        var forged = await member.PostFormAsync("/admin/modules",
            [new("_handler", "module-switch"), new("__RequestVerificationToken", Browser.Token(page)), new("switch", "probe:on")]);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/probe")).Response.StatusCode);

        using var admin = await _node.AdminBrowserAsync();
        var (_, adminPage) = await admin.GetAsync("/admin/modules");
        var unknown = await admin.PostFormAsync("/admin/modules",
            [new("_handler", "module-switch"), new("__RequestVerificationToken", Browser.Token(adminPage)), new("switch", "nothing:on")]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var sideways = await admin.PostFormAsync("/admin/modules",
            [new("_handler", "module-switch"), new("__RequestVerificationToken", Browser.Token(adminPage)), new("switch", "probe:sideways")]);
        Assert.Equal(HttpStatusCode.BadRequest, sideways.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/probe")).Response.StatusCode);
    }

    [Fact]
    public async Task The_new_dataset_page_offers_the_kinds_of_modules_that_are_on_and_a_kind_datasets_schema_is_read_only()
    {
        using var admin = await _node.AdminBrowserAsync();
        var (_, off) = await admin.GetAsync("/datasets/new");
        Assert.False(Pages.Has(off, "kind"));
        // A kind posted while its module is off is refused; nothing is created.
        var refusedSlug = _node.Unique("slots-");
        var refused = await admin.PostFormAsync("/datasets/new", NewForm(Browser.Token(off), refusedSlug, "Slots", ("Form.Kind", "probe.slots")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(_node.Service<IDatasetStore>().Find(refusedSlug));

        await Switch(admin, on: true);
        var (_, on) = await admin.GetAsync("/datasets/new");
        Assert.Contains("<option value=\"probe.slots\">Slots (probe.slots)</option>", on);

        // "Use this kind": the kind's schema instead of the builder, its sharing and exclusions in the form.
        var slug = _node.Unique("slots-");
        var chosen = await admin.PostFormAsync("/datasets/new", NewForm(Browser.Token(on), slug, "Slots", ("Form.Kind", "probe.slots"), ("Form.Action", "kind")));
        var chosenHtml = await chosen.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.True(Pages.Has(chosenHtml, "kind-schema"));
        Assert.False(Pages.Has(chosenHtml, "field-name-0"));
        Assert.Contains("<option value=\"Public\" selected", chosenHtml);

        var created = await admin.PostFormAsync("/datasets/new", NewForm(Browser.Token(on), slug, "Slots", ("Form.Kind", "probe.slots"), ("Form.Policy", "Public"),
            ("Form.Fields[0].Name", "ignored")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var dataset = _node.Dataset(slug);
        Assert.Equal(("probe.slots", 1, new SlotsKind().Schema), (dataset.Kind, dataset.KindVersion, dataset.Schema));

        var (_, detail) = await admin.GetAsync($"/datasets/{slug}");
        Assert.Contains("<a id=\"dataset-kind\" href=\"/schemas/probe.slots.v1.json\"><code>probe.slots</code> v1</a>", detail);
        var (_, edit) = await admin.GetAsync($"/datasets/{slug}/edit");
        Assert.True(Pages.Has(edit, "kind-schema"));
        Assert.Contains("href=\"/schemas/probe.slots.v1.json\"", edit);
        Assert.False(Pages.Has(edit, "schema-json"));
        Assert.False(Pages.Has(edit, "field-name-0"));
        // A schema posted anyway is not the dataset's: the edit saves the rest and leaves the kind's schema as it is.
        var saved = await admin.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(edit), dataset,
            ("Form.TitleEn", "Slots, renamed"), ("Form.SchemaJson", """{"type":"object"}""")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(("Slots, renamed", new SlotsKind().Schema), (_node.Dataset(slug).Title.En, _node.Dataset(slug).Schema));
    }
}
