using System.Net;
using System.Text.Json;
using Commons.Core.Datasets;
using static Commons.Web.Tests.RecordPages;

namespace Commons.Web.Tests;

/// <summary>Editing a record from its page: the form filled from the record, stale saves, the shared toggle and deletion with confirmation.</summary>
public sealed class RecordEditTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private (string Slug, string Id) Room(string json = """{"name":"Salle A","seats":10,"price":2.5,"accessible":true,"kind":"hall","address":{"city":"Gent"}}""")
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        return (slug, _node.AddRecord(slug, json).Id);
    }

    private static (string, string)[] FormOf(string html, params (string Name, string Value)[] changes)
    {
        // What a browser would post back unchanged, from the rendered inputs, with some values changed.
        var fields = new List<(string, string)>
        {
            ("revision", System.Text.RegularExpressions.Regex.Match(html, "name=\"revision\" value=\"(\\d+)\"").Groups[1].Value),
        };
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"(?:text|number|date|email|url)\" id=\"field-\\w+\" name=\"(data\\.\\w+)\" value=\"([^\"]*)\""))
            fields.Add((m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<textarea id=\"field-\\w+\" name=\"(data\\.\\w+)\"[^>]*>([^<]*)</textarea>"))
            fields.Add((m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<select id=\"field-\\w+\" name=\"(data\\.\\w+)\"[\\s\\S]*?<option value=\"([^\"]*)\" selected"))
            fields.Add((m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"checkbox\" id=\"[\\w-]+\" name=\"([\\w.]+)\" value=\"true\" checked"))
            fields.Add((m.Groups[1].Value, "true"));
        return fields.Where(f => changes.All(c => c.Name != f.Item1)).Concat(changes.Where(c => c.Value is not null)).ToArray();
    }

    [Fact]
    public async Task The_edit_form_shows_the_record_and_saves_a_change_as_a_new_revision()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (page, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("value=\"Salle A\"", Tag(html, "field-name"));
        Assert.Contains("value=\"10\"", Tag(html, "field-seats"));
        Assert.Contains("value=\"2.5\"", Tag(html, "field-price"));
        Assert.Contains("checked", Tag(html, "field-accessible"));
        Assert.Contains("<option value=\"hall\" selected>hall</option>", html);
        Assert.Contains("&quot;city&quot;: &quot;Gent&quot;", html);
        Assert.Contains("name=\"revision\" value=\"1\"", html);

        var fields = FormOf(html, ("data.seats", "14"), ("data.name", "Salle A bis"));
        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/datasets/{slug}/records/{id}?saved=1", Location(response));

        var stored = _node.Stored(slug, id)!;
        Assert.Equal(2, stored.Revision);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(
            """{"name":"Salle A bis","seats":14,"price":2.5,"accessible":true,"kind":"hall","address":{"city":"Gent"}}""").RootElement, stored.Data), stored.Data.GetRawText());
        var (_, after) = await browser.GetAsync(Location(response));
        Assert.Contains("id=\"record-saved\"", after);
        Assert.Contains("name=\"revision\" value=\"2\"", after);
    }

    [Fact]
    public async Task A_refused_edit_keeps_what_was_typed_and_stores_nothing()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-edit",
            FormOf(html, ("data.seats", "-3"), ("data.name", "Renamed")));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertFieldError(page, "seats", "At least 0.");
        Assert.Contains("value=\"Renamed\"", Tag(page, "field-name"));
        Assert.Equal(1, _node.Stored(slug, id)!.Revision);
    }

    [Fact]
    public async Task A_stale_save_is_refused_with_a_clear_message_and_the_current_values()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");

        // Someone else saves first (through the same service the API uses).
        _node.Service<Core.Services.RecordService>().Update(UiNode.Admin, slug, id,
            JsonDocument.Parse("""{"name":"Salle A","seats":99,"kind":"hall"}""").RootElement, null, 1);

        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-edit", FormOf(html, ("data.seats", "5")));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("id=\"record-stale\"", page);
        Assert.Contains("Someone else saved this record while you were editing it.", page);
        Assert.Contains("value=\"99\"", Tag(page, "field-seats")); // the stored values, not the stale ones
        Assert.Contains("name=\"revision\" value=\"2\"", page);
        Assert.Contains("<dd>5</dd>", page); // and what was typed, to copy over
        var stored = _node.Stored(slug, id)!;
        Assert.Equal(2, stored.Revision);
        Assert.Equal(99, stored.Data.GetProperty("seats").GetInt32());
    }

    [Fact]
    public async Task The_quick_toggle_and_the_form_change_the_shared_flag()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Contains("Stop sharing this record", html);

        var toggled = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-shared", ("revision", "1"), ("shared", "false"));
        Assert.Equal(HttpStatusCode.Redirect, toggled.StatusCode);
        Assert.Equal($"/datasets/{slug}/records/{id}?saved=shared", Location(toggled));
        var stored = _node.Stored(slug, id)!;
        Assert.False(stored.Shared);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(10, stored.Data.GetProperty("seats").GetInt32()); // the data did not move

        var (_, after) = await browser.GetAsync(Location(toggled));
        Assert.Contains("The record is no longer shared.", after);
        Assert.DoesNotContain("checked", Tag(after, "shared"));
        Assert.Contains("Share this record", after);

        // A second post of the same stale toggle (revision 1) changes nothing.
        var again = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(after), "record-shared", ("revision", "1"), ("shared", "true"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(_node.Stored(slug, id)!.Shared);

        // Ticking the box in the form shares it again.
        var saved = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(after), "record-edit", FormOf(after, ("shared", "true")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(_node.Stored(slug, id)!.Shared);
    }

    [Fact]
    public async Task Deleting_goes_through_a_confirmation_then_back_to_the_table()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, edit) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Contains($"href=\"/datasets/{slug}/records/{id}/delete\"", Tag(edit, "delete-record"));

        var (confirmPage, confirm) = await browser.GetAsync($"/datasets/{slug}/records/{id}/delete");
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode);
        Assert.Contains("type=\"submit\"", Tag(confirm, "confirm-delete"));
        Assert.False(_node.Stored(slug, id)!.Deleted); // showing the question deletes nothing

        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}/delete", Browser.Token(confirm), "record-delete", ("revision", "1"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/datasets/{slug}?deleted=Salle%20A", Location(response)); // named by its title: the record is gone
        Assert.True(_node.Stored(slug, id)!.Deleted);

        var (table, html) = await browser.GetAsync(Location(response));
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        Assert.Contains("“Salle A” was deleted.", html);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/datasets/{slug}/records/{id}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/datasets/{slug}/records/{id}/delete")).Response.StatusCode);
    }

    [Fact]
    public async Task A_delete_confirmed_on_an_older_revision_asks_again()
    {
        var (slug, id) = Room();
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, confirm) = await browser.GetAsync($"/datasets/{slug}/records/{id}/delete");
        _node.Service<Core.Services.RecordService>().Update(UiNode.Admin, slug, id, null, false, 1);

        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}/delete", Browser.Token(confirm), "record-delete", ("revision", "1"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"record-stale\"", html);
        Assert.Contains("name=\"revision\" value=\"2\"", html);
        Assert.False(_node.Stored(slug, id)!.Deleted);
    }

    [Fact]
    public async Task Fields_the_schema_does_not_list_survive_an_edit()
    {
        var slug = _node.CreateDatasetWithSchema("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"name":{"type":"string"}},"required":["name"]}
            """, SharingPolicy.Private);
        var id = _node.AddRecord(slug, """{"name":"Old","legacy":{"code":7}}""").Id;
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Contains("&quot;legacy&quot;", html);
        var other = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<textarea id=\"record-other\"[^>]*>([^<]*)</textarea>").Groups[1].Value);

        var response = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-edit",
            ("revision", "1"), ("data.name", "New"), ("other", other), ("shared", "true"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse("""{"name":"New","legacy":{"code":7}}""").RootElement, _node.Stored(slug, id)!.Data));

        var repeated = await browser.PostWithTokenAsync($"/datasets/{slug}/records/{id}", Browser.Token(html), "record-edit",
            ("revision", "2"), ("data.name", "New"), ("other", """{"name":"twice"}"""), ("shared", "true"));
        Assert.Equal(HttpStatusCode.BadRequest, repeated.StatusCode);
        Assert.Contains("id=\"error-record-other\"", await repeated.Content.ReadAsStringAsync());
    }
}
