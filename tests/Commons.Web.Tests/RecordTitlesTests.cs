using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Services;
using static Commons.Web.Tests.RecordPages;

namespace Commons.Web.Tests;

/// <summary>
/// Records named by their title over plain HTTP: the table, the record and delete pages, the notice after a delete, the
/// empty states, and the display-settings page's doors, refusals and conflicts.
/// </summary>
public sealed class RecordTitlesTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private DatasetService Datasets => _node.Service<DatasetService>();

    [Fact]
    public async Task The_table_links_records_by_title_with_no_id_column_and_a_fallback_for_blank_titles()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"Salle Dupont","seats":3,"kind":"room"}""", id: "dupont");
        _node.AddRecord(slug, """{"name":"   ","seats":4,"kind":"hall"}""", id: "blank-title-record");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr");
        var (_, html) = await browser.GetAsync($"/datasets/{slug}");
        Assert.Contains($"<a href=\"/datasets/{slug}/records/dupont\">Salle Dupont</a>", html);
        Assert.Contains($"<a href=\"/datasets/{slug}/records/blank-title-record\">Sans titre (…record)</a>", html);
        Assert.DoesNotContain("<code>dupont</code>", html);
        Assert.DoesNotContain(">Identifiant<", html[html.IndexOf("<table", StringComparison.Ordinal)..]);
        Assert.Contains("role=\"region\"", html);
    }

    [Fact]
    public async Task The_record_page_is_headed_by_its_title_and_folds_its_id_and_version_into_details()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        var record = _node.AddRecord(slug, """{"name":"Salle Dupont","seats":3,"kind":"room"}""");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "nl");
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/records/{record.Id}");
        Assert.Contains("<h1 id=\"record-title\">Salle Dupont</h1>", html);
        Assert.Contains("<title>Salle Dupont · Zalen", html);
        var details = html[html.IndexOf("<details class=\"record-details\"", StringComparison.Ordinal)..];
        details = details[..details.IndexOf("</details>", StringComparison.Ordinal)];
        Assert.Contains($"<code id=\"record-id\">{record.Id}</code>", details);
        Assert.Contains("<summary>Details</summary>", details);
        Assert.Contains("Versie", details);
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..];
        Assert.Single(Regex.Matches(main, Regex.Escape(record.Id) + "<"));
        Assert.DoesNotContain("Revisie", main);
    }

    [Fact]
    public async Task Deleting_names_the_record_by_its_title_before_and_after()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        var record = _node.AddRecord(slug, """{"name":"Atelier <vélo> & co","seats":3,"kind":"room"}""");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr");
        var path = $"/datasets/{slug}/records/{record.Id}/delete";
        var (_, confirm) = await browser.GetAsync(path);
        Assert.Contains("<h1>Supprimer « Atelier &lt;vélo&gt; &amp; co »&#x202F;?</h1>".Replace("« ", "«&#xA0;").Replace(" »", "&#xA0;»"), confirm);
        var done = await browser.PostWithTokenAsync(path, Browser.Token(confirm), "record-delete", ("revision", "1"));
        var location = Location(done);
        Assert.Contains("deleted=Atelier", location);
        var (_, after) = await browser.GetAsync(location);
        Assert.Contains("« Atelier &lt;vélo&gt; &amp; co » a été supprimé.".Replace("« ", "«&#xA0;").Replace(" »", "&#xA0;»"), after);
    }

    [Fact]
    public async Task An_empty_dataset_says_what_to_do_next_and_a_search_without_match_keeps_its_own_message()
    {
        var editor = _node.CreateMember();
        var viewer = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private, (editor, GrantRole.Editor), (viewer, GrantRole.Viewer));
        using (var e = await _node.SignedInAsync(editor, UiNode.MemberPassword, "en"))
        {
            var (_, html) = await e.GetAsync($"/datasets/{slug}");
            Assert.Contains("id=\"records-empty\"", html);
            Assert.Contains("This dataset has no record yet.", html);
            Assert.Contains($"<a class=\"button\" href=\"/datasets/{slug}/records/new\">Add a first record</a>", html);
            Assert.DoesNotContain("API", html[html.IndexOf("records-empty", StringComparison.Ordinal)..]);
            Assert.DoesNotContain("No record matches", html);
        }
        using (var v = await _node.SignedInAsync(viewer, UiNode.MemberPassword, "nl"))
        {
            var (_, html) = await v.GetAsync($"/datasets/{slug}");
            Assert.Contains("Deze dataset heeft nog geen records.", html);
            Assert.Contains("Een redacteur of een verantwoordelijke van de dataset kan records toevoegen.", html);
            Assert.DoesNotContain("records/new", html);
        }
        using (var a = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr"))
        {
            var (_, html) = await a.GetAsync($"/datasets/{slug}");
            Assert.Contains($"POST /api/datasets/{slug}/records", html);
            _node.AddRecord(slug, """{"name":"Salle Dupont","seats":3,"kind":"room"}""");
            var (_, none) = await a.GetAsync($"/datasets/{slug}?q=anderlecht");
            Assert.Contains("id=\"records-no-match\"", none);
            Assert.Contains("Aucun enregistrement ne correspond à cette recherche.", none);
            Assert.DoesNotContain("records-empty", none);
        }
    }

    [Fact]
    public async Task The_display_page_saves_a_title_and_columns_in_the_order_given()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"Salle Dupont","seats":3,"kind":"room","contact":"a@b.example"}""");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "en");
        var path = $"/datasets/{slug}/display";
        var (page, html) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Shown as the table shows today: the first six fields but the title, ticked in order.
        Assert.Matches("<option value(=\"\")? selected[^>]*>Automatic: Name</option>", html);
        var fields = Fields(html);
        var kind = fields.IndexOf("kind");
        var contact = fields.IndexOf("contact");
        var seats = fields.IndexOf("seats");
        Assert.Contains($"id=\"show-{kind}\" name=\"show-{kind}\" value=\"1\" checked", html);
        Assert.DoesNotContain($"id=\"show-{contact}\" name=\"show-{contact}\" value=\"1\" checked", html);

        var saved = await browser.PostWithTokenAsync(path, Browser.Token(html), "dataset-display",
            ("version", Datasets.Get(UiNode.Admin, slug).Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("titleField", "notes"), ($"show-{kind}", "1"), ($"place-{kind}", "2"), ($"show-{contact}", "1"), ($"place-{contact}", "1"),
            ($"show-{seats}", "1"), ($"place-{seats}", ""));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = Datasets.Get(UiNode.Admin, slug);
        Assert.Equal("notes", stored.TitleField);
        Assert.Equal(["contact", "kind", "seats"], stored.Columns); // numbered first, the unnumbered after

        var (_, table) = await browser.GetAsync($"/datasets/{slug}");
        var head = table[table.IndexOf("<thead>", StringComparison.Ordinal)..table.IndexOf("</thead>", StringComparison.Ordinal)];
        var order = new[] { ">notes<", ">contact<", ">kind<", ">seats<", ">Shared<" }.Select(h => head.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.DoesNotContain(">Name<", head);
        Assert.DoesNotContain(">price<", head);

        // Back to automatic.
        var (_, again) = await browser.GetAsync(path);
        await browser.PostWithTokenAsync(path, Browser.Token(again), "dataset-display",
            ("version", Datasets.Get(UiNode.Admin, slug).Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("titleField", ""));
        Assert.Null(Datasets.Get(UiNode.Admin, slug).TitleField);
        Assert.Empty(Datasets.Get(UiNode.Admin, slug).Columns);
    }

    [Fact]
    public async Task The_display_page_refuses_bad_places_and_unknown_titles_keeps_what_was_typed_and_reports_conflicts()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr");
        var path = $"/datasets/{slug}/display";
        var (_, html) = await browser.GetAsync(path);
        var fields = Fields(html);
        var seats = fields.IndexOf("seats");
        var version = Datasets.Get(UiNode.Admin, slug).Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var bad = await browser.PostWithTokenAsync(path, Browser.Token(html), "dataset-display",
            ("version", version), ("titleField", "seats"), ($"show-{seats}", "1"), ($"place-{seats}", "99"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("id=\"display-errors\"", badHtml);
        Assert.Contains($"href=\"#place-{seats}\"", badHtml);
        Assert.Contains("href=\"#title-field\"", badHtml);
        Assert.Contains($"value=\"99\"", Tag(badHtml, $"place-{seats}"));
        Assert.Contains("aria-invalid=\"true\"", Tag(badHtml, $"place-{seats}"));
        Assert.Empty(Datasets.Get(UiNode.Admin, slug).Columns);

        // Someone saves the dataset in between: nothing is written, the choices stay on the form, a new version goes with it.
        Datasets.Update(UiNode.Admin, slug, new DatasetDraft { License = "CC0-1.0" });
        var stale = await browser.PostWithTokenAsync(path, Browser.Token(html), "dataset-display",
            ("version", version), ($"show-{seats}", "1"), ($"place-{seats}", "1"));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var staleHtml = await stale.Content.ReadAsStringAsync();
        Assert.Contains("Quelqu’un d’autre a modifié ce jeu de données", staleHtml);
        Assert.Contains("checked", Tag(staleHtml, $"show-{seats}"));
        Assert.Contains($"name=\"version\" value=\"{Datasets.Get(UiNode.Admin, slug).Version}\"", staleHtml);
        Assert.Empty(Datasets.Get(UiNode.Admin, slug).Columns);

        var noToken = await browser.PostWithTokenAsync(path, null, "dataset-display", ("version", version));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
    }

    [Fact]
    public async Task Only_stewards_reach_the_display_page()
    {
        var editor = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private, (editor, GrantRole.Editor));
        using var e = await _node.SignedInAsync(editor, UiNode.MemberPassword, "en");
        var (page, html) = await e.GetAsync($"/datasets/{slug}/display");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Only the stewards of the dataset choose", html);
        var (_, detail) = await e.GetAsync($"/datasets/{slug}");
        Assert.DoesNotContain("id=\"display-link\"", detail);
        var post = await e.PostWithTokenAsync($"/datasets/{slug}/display", Browser.Token(detail), "dataset-display", ("version", "1"), ("titleField", "notes"));
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Null(Datasets.Get(UiNode.Admin, slug).TitleField);

        var stranger = _node.CreateMember();
        using var s = await _node.SignedInAsync(stranger, UiNode.MemberPassword, "en");
        var (hidden, _) = await s.GetAsync($"/datasets/{slug}/display");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_names_local_changes_by_title_in_words()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        var record = _node.AddRecord(slug, """{"name":"Salle des fêtes","seats":3,"kind":"room"}""");
        _node.Service<RecordService>().Update(UiNode.Admin, slug, record.Id, System.Text.Json.JsonDocument.Parse("""{"name":"Salle des fêtes","seats":4,"kind":"room"}""").RootElement, null, null);
        var gone = _node.AddRecord(slug, """{"name":"Vieux local","seats":1,"kind":"room"}""");
        _node.Service<RecordService>().Delete(UiNode.Admin, slug, gone.Id, null);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr");
        var (_, html) = await browser.GetAsync("/");
        var table = html[html.IndexOf("id=\"local-changes\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains($"<a href=\"/datasets/{slug}/records/{record.Id}\">Salle des fêtes</a>", table);
        Assert.Contains("modifié par admin", table);
        Assert.Contains("ajouté par admin", table);
        Assert.Contains("supprimé par admin", table);
        Assert.Contains("un enregistrement supprimé", table);
        Assert.DoesNotContain("Vieux local", table); // deleted: its data is gone
        Assert.DoesNotContain("évision", table);
        Assert.Contains("<time datetime=", table);
    }

    /// <summary>The display page's fields in row order (the index in show-{i} / place-{i}).</summary>
    private static List<string> Fields(string html) =>
        Regex.Matches(html, "<tr data-field=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
}
