using System.Net;
using Commons.Core.Datasets;
using static Commons.Web.Tests.RecordPages;

namespace Commons.Web.Tests;

/// <summary>Who may open and post the record pages, by URL: viewers get 403, hidden datasets 404, a post without antiforgery 400.</summary>
public sealed class RecordAccessTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private static IEnumerable<(string Path, string Handler, (string, string)[] Fields)> Posts(string slug, string id) =>
    [
        ($"/datasets/{slug}/records/new", "record-new", [("data.name", "Intruder"), ("data.seats", "1"), ("data.kind", "room"), ("shared", "true")]),
        ($"/datasets/{slug}/records/{id}", "record-edit", [("revision", "1"), ("data.name", "Intruder"), ("data.seats", "1"), ("data.kind", "room")]),
        ($"/datasets/{slug}/records/{id}", "record-shared", [("revision", "1"), ("shared", "false")]),
        ($"/datasets/{slug}/records/{id}/delete", "record-delete", [("revision", "1")]),
    ];

    private void AssertUntouched(string slug, string id)
    {
        Assert.Equal(1, _node.LiveRecords(slug));
        var stored = _node.Stored(slug, id)!;
        Assert.Equal(1, stored.Revision);
        Assert.True(stored.Shared);
        Assert.False(stored.Deleted);
    }

    [Theory]
    [InlineData(SharingPolicy.Private, true)]  // a viewer grant
    [InlineData(SharingPolicy.Public, false)]  // readable by every member without a grant
    public async Task A_reader_is_refused_every_record_page_and_post_by_url(SharingPolicy policy, bool grant)
    {
        var reader = _node.CreateMember();
        var slug = grant
            ? _node.CreateDatasetWithSchema(UiNode.RoomsSchema, policy, (reader, GrantRole.Viewer))
            : _node.CreateDatasetWithSchema(UiNode.RoomsSchema, policy);
        var id = _node.AddRecord(slug, """{"name":"Kept","seats":2,"kind":"room"}""").Id;
        using var browser = await _node.SignedInAsync(reader, UiNode.MemberPassword);
        var (table, tableHtml) = await browser.GetAsync($"/datasets/{slug}");
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        var token = Browser.Token(tableHtml); // a valid token: only the role stands in the way

        foreach (var path in new[] { $"/datasets/{slug}/records/new", $"/datasets/{slug}/records/{id}", $"/datasets/{slug}/records/{id}/delete" })
        {
            var (response, html) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("id=\"record-save\"", html);
            Assert.DoesNotContain("id=\"confirm-delete\"", html);
            Assert.DoesNotContain("Kept", html);
        }
        foreach (var (path, handler, fields) in Posts(slug, id))
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostWithTokenAsync(path, token, handler, fields)).StatusCode);
        AssertUntouched(slug, id);
    }

    [Fact]
    public async Task A_hidden_dataset_answers_not_found_on_every_record_page_and_post()
    {
        var member = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        var id = _node.AddRecord(slug, """{"name":"Secret room","seats":2,"kind":"room"}""").Id;
        using var browser = await _node.SignedInAsync(member, UiNode.MemberPassword);
        var (_, home) = await browser.GetAsync("/");
        var token = Browser.Token(home);

        foreach (var path in new[] { $"/datasets/{slug}/records/new", $"/datasets/{slug}/records/{id}", $"/datasets/{slug}/records/{id}/delete" })
        {
            var (response, html) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Secret room", html);
            Assert.DoesNotContain("Rooms", html);
        }
        foreach (var (path, handler, fields) in Posts(slug, id))
            Assert.Equal(HttpStatusCode.NotFound, (await browser.PostWithTokenAsync(path, token, handler, fields)).StatusCode);
        AssertUntouched(slug, id);
    }

    [Fact]
    public async Task An_editor_may_use_every_record_page()
    {
        var editor = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private, (editor, GrantRole.Editor));
        var id = _node.AddRecord(slug, """{"name":"Kept","seats":2,"kind":"room"}""").Id;
        using var browser = await _node.SignedInAsync(editor, UiNode.MemberPassword);
        foreach (var path in new[] { $"/datasets/{slug}/records/new", $"/datasets/{slug}/records/{id}", $"/datasets/{slug}/records/{id}/delete" })
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(path)).Response.StatusCode);
        var created = RecordIdFrom(await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new",
            ("data.name", "By the editor"), ("data.seats", "3"), ("data.kind", "office"), ("shared", "true")), slug);
        Assert.Equal(editor, _node.Stored(slug, created)!.CreatedBy);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        var id = _node.AddRecord(slug, """{"name":"Kept","seats":2,"kind":"room"}""").Id;
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        foreach (var (path, handler, fields) in Posts(slug, id))
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostWithTokenAsync(path, null, handler, fields)).StatusCode);
        AssertUntouched(slug, id);
    }

    [Fact]
    public async Task A_record_url_still_answers_peers_with_its_object_and_browsers_with_the_page()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Public);
        var id = _node.AddRecord(slug, """{"name":"Open room","seats":2,"kind":"room"}""").Id;
        using var peer = new HttpClient { BaseAddress = _node.Address };
        peer.DefaultRequestHeaders.Accept.ParseAdd("application/activity+json");
        var response = await peer.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        // "new" is the form's address for browsers, never a record object for peers.
        Assert.Equal(HttpStatusCode.NotFound, (await peer.GetAsync($"/datasets/{slug}/records/new")).StatusCode);

        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (page, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"record-save\"", html);
    }
}
