using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using static Commons.Web.Tests.RecordPages;

namespace Commons.Web.Tests;

/// <summary>The records table of a dataset's page: columns from the schema, sorting by column headers, filter + sort + paging together, links by role.</summary>
public sealed class RecordTableTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private string FourRooms()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"delta","seats":3,"kind":"room"}""", id: "r1");
        _node.AddRecord(slug, """{"name":"alpha","seats":40,"kind":"hall"}""", id: "r2");
        _node.AddRecord(slug, """{"name":"charlie","seats":12,"kind":"room"}""", id: "r3");
        _node.AddRecord(slug, """{"name":"bravo","seats":7,"kind":"office"}""", id: "r4");
        return slug;
    }

    [Fact]
    public async Task Columns_follow_the_schema_and_headers_sort_both_ways()
    {
        var slug = FourRooms();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}");
        Assert.Equal(["r1", "r2", "r3", "r4"], RowIds(html)); // by id unless asked

        // The title field first, then the schema's properties in its order (title for a label), not whatever the records hold.
        var head = html[html.IndexOf("<thead>", StringComparison.Ordinal)..html.IndexOf("</thead>", StringComparison.Ordinal)];
        var order = new[] { ">Name<", ">notes<", ">seats<", ">price<", ">accessible<", ">kind<", ">opened<" }.Select(h => head.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.DoesNotContain(">contact<", head); // six columns besides the title unless the steward chose

        Assert.Contains($"href=\"/datasets/{slug}?sort=data.name\"", head);
        var (_, byName) = await browser.GetAsync($"/datasets/{slug}?sort=data.name");
        Assert.Equal(["r2", "r4", "r3", "r1"], RowIds(byName));
        Assert.Matches($"<th scope=\"col\" aria-sort=\"ascending\">\\s*<a href=\"/datasets/{slug}\\?sort=-data.name\"", byName);

        var (_, byNameDesc) = await browser.GetAsync($"/datasets/{slug}?sort=-data.name");
        Assert.Equal(["r1", "r3", "r4", "r2"], RowIds(byNameDesc));
        Assert.Contains("aria-sort=\"descending\"", byNameDesc);

        var (_, bySeats) = await browser.GetAsync($"/datasets/{slug}?sort=data.seats");
        Assert.Equal(["r1", "r4", "r3", "r2"], RowIds(bySeats));
        var (_, byIdDesc) = await browser.GetAsync($"/datasets/{slug}?sort=-id");
        Assert.Equal(["r4", "r3", "r2", "r1"], RowIds(byIdDesc));

        // Parameters that are not the listing's (a notice another page adds) do not break it.
        var (other, otherHtml) = await browser.GetAsync($"/datasets/{slug}?saved=1&sort=data.seats");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(["r1", "r4", "r3", "r2"], RowIds(otherHtml));
    }

    [Fact]
    public async Task Cells_and_their_attributes_hold_values_as_text_never_as_markup()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"<b>Salle</b> \"A\" & 'co'","notes":"<script>alert(1)</script>","seats":3,"kind":"room"}""", id: "r1");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}");

        var rows = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..html.IndexOf("</tbody>", StringComparison.Ordinal)];
        Assert.Contains(">&lt;b&gt;Salle&lt;/b&gt; &quot;A&quot; &amp; &#x27;co&#x27;</a>", rows);
        Assert.Contains(">&lt;script&gt;alert(1)&lt;/script&gt;</td>", rows);
        Assert.DoesNotContain("<b>", rows);
        Assert.DoesNotContain("<script", rows);
        Assert.Contains($"<a href=\"/datasets/{slug}/records/r1\">", rows);
    }

    [Fact]
    public async Task Filter_sort_and_paging_stay_together_in_every_link()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        for (var i = 0; i < 30; i++) _node.AddRecord(slug, $$"""{"name":"salle {{i:D2}}","seats":{{i}},"kind":"room"}""", id: $"s{i:D2}");
        _node.AddRecord(slug, """{"name":"hall 99","seats":99,"kind":"hall"}""", id: "h99");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);

        var (_, first) = await browser.GetAsync($"/datasets/{slug}?q=salle&sort=-data.seats");
        Assert.Equal(25, RowIds(first).Count);
        Assert.Equal("s29", RowIds(first)[0]);
        Assert.Contains("<input type=\"hidden\" name=\"sort\" value=\"-data.seats\"", first); // the filter form keeps the sort
        var next = WebUtility.HtmlDecode(Regex.Match(first, "href=\"([^\"]+)\" rel=\"next\"").Groups[1].Value);
        Assert.Contains("q=salle", next);
        Assert.Contains("sort=-data.seats", next);
        var (_, second) = await browser.GetAsync(next);
        Assert.Equal(["s04", "s03", "s02", "s01", "s00"], RowIds(second));
        // Sorting links keep the filter and start paging over.
        var sortLink = WebUtility.HtmlDecode(Regex.Match(second, "<a href=\"([^\"]+)\" class=\"sort\"[^>]*>Name").Groups[1].Value);
        Assert.Equal($"/datasets/{slug}?q=salle&sort=data.name", sortLink);

        var (_, filtered) = await browser.GetAsync($"/datasets/{slug}?filter.kind=hall");
        Assert.Equal(["h99"], RowIds(filtered));
        Assert.Contains("<input type=\"hidden\" name=\"filter.kind\" value=\"hall\"", filtered);

        var (bad, badHtml) = await browser.GetAsync($"/datasets/{slug}?sort=no%20such%20field");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("role=\"alert\"", badHtml);
    }

    [Fact]
    public async Task Links_to_record_and_dataset_pages_follow_the_role()
    {
        var editor = _node.CreateMember();
        var viewer = _node.CreateMember();
        var steward = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private,
            (editor, GrantRole.Editor), (viewer, GrantRole.Viewer), (steward, GrantRole.Steward));
        _node.AddRecord(slug, """{"name":"alpha","seats":1,"kind":"room"}""", id: "one");

        using (var s = await _node.SignedInAsync(steward, UiNode.MemberPassword))
        {
            var (_, html) = await s.GetAsync($"/datasets/{slug}");
            Assert.Contains($"href=\"/datasets/{slug}/edit\"", Tag(html, "edit-dataset"));
            Assert.Contains($"href=\"/datasets/{slug}/sharing\"", Tag(html, "sharing-link"));
            Assert.Contains($"href=\"/datasets/{slug}/records/new\"", Tag(html, "new-record"));
            Assert.Contains($"<a href=\"/datasets/{slug}/records/one\">alpha</a>", html);
        }
        using (var e = await _node.SignedInAsync(editor, UiNode.MemberPassword))
        {
            var (_, html) = await e.GetAsync($"/datasets/{slug}");
            Assert.Contains("id=\"new-record\"", html);
            Assert.Contains($"<a href=\"/datasets/{slug}/records/one\">", html);
            Assert.DoesNotContain("id=\"edit-dataset\"", html);
            Assert.DoesNotContain("id=\"sharing-link\"", html);
        }
        using (var v = await _node.SignedInAsync(viewer, UiNode.MemberPassword))
        {
            var (_, html) = await v.GetAsync($"/datasets/{slug}");
            Assert.Equal(["one"], RowIds(html));
            Assert.DoesNotContain("id=\"new-record\"", html);
            Assert.DoesNotContain($"/records/one\"", html);
            Assert.DoesNotContain("id=\"edit-dataset\"", html);
            // The records heading stays the first h2 of the page (the browser flow test reads it).
            Assert.Matches("<main[^>]*>(?:(?!<h2).)*<h2>Records</h2>", html.ReplaceLineEndings(" "));
        }
    }

    /// <summary>
    /// The table looks its words up once per render, not per cell: one language after another on the same node, each
    /// page's cells and headers are in its own language (a lookup kept across requests would leak the previous one).
    /// </summary>
    [Theory]
    [InlineData("fr", "Partagé", "Oui", "Non", "Modifié", "Trier selon cette colonne")]
    [InlineData("nl", "Gedeeld", "Ja", "Nee", "Gewijzigd", "Sorteren op deze kolom")]
    [InlineData("en", "Shared", "Yes", "No", "Updated", "Sort by this column")]
    public async Task Every_cell_and_header_is_in_the_readers_language(string lang, string shared, string yes, string no, string updated, string hint)
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"open","seats":1,"kind":"room","accessible":true}""", shared: true, id: "s1");
        _node.AddRecord(slug, """{"name":"closed","seats":1,"kind":"room","accessible":false}""", shared: false, id: "s2");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, acceptLanguage: lang);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}");
        var rows = Regex.Matches(html, "<tr data-record=\"(s\\d)\">(.*?)</tr>", RegexOptions.Singleline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Contains($"<td data-label=\"{shared}\" class=\"compact\">{yes}</td>", rows["s1"]);
        Assert.Contains($"<td data-label=\"{shared}\" class=\"compact\">{no}</td>", rows["s2"]);
        Assert.Matches($">{yes}</td>", rows["s1"]); // the boolean field's cell
        Assert.Contains($"<td data-label=\"{updated}\" class=\"compact\"><time datetime=", rows["s1"]);
        var head = html[html.IndexOf("<thead>", StringComparison.Ordinal)..html.IndexOf("</thead>", StringComparison.Ordinal)];
        Assert.Equal(Regex.Matches(head, "class=\"sort\"").Count, Regex.Matches(head, $"class=\"sort\" title=\"{hint}\"").Count);
    }

    /// <summary>Only a cell holding a word longer than 16 characters may break anywhere; spaces end a word.</summary>
    [Fact]
    public async Task Only_words_over_sixteen_characters_mark_a_cell_as_long()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"abcdefghijklmnop qrstuvwxyzabcdef","seats":1,"kind":"room"}""", id: "w1"); // two words of 16
        _node.AddRecord(slug, """{"name":"a abcdefghijklmnopq","seats":1,"kind":"room"}""", id: "w2"); // one word of 17
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}");
        Assert.Matches("<tr data-record=\"w1\">\\s*<th scope=\"row\" class=\"record-title\">", html);
        Assert.Matches("<tr data-record=\"w2\">\\s*<th scope=\"row\" class=\"record-title long-word\">", html);
    }
}
