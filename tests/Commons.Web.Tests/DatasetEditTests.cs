using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Services;
using static Commons.Web.Tests.DatasetPages;

namespace Commons.Web.Tests;

/// <summary>/datasets/{slug}/edit over real HTTP: who may open it, saving, stale versions, member roles, deletion.</summary>
public sealed class DatasetEditTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task Only_stewards_and_admins_open_the_page_others_get_404_or_403_by_get_and_post()
    {
        var steward = _node.CreateMember();
        var editor = _node.CreateMember();
        var stranger = _node.CreateMember();
        var hidden = _node.CreateDataset(SharingPolicy.Private, "Hidden", (steward, GrantRole.Steward), (editor, GrantRole.Editor));
        var open = _node.CreateDataset(SharingPolicy.Public, "Open", (steward, GrantRole.Steward));

        using (var s = await _node.SignedInAsync(steward))
        {
            var (ok, html) = await s.GetAsync($"/datasets/{hidden}/edit");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("id=\"dataset-save\"", html);
            Assert.Contains("readonly", Tag(html, "slug"));
        }
        using (var a = await _node.SignedInAsync("admin", UiNode.AdminPassword))
            Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/datasets/{hidden}/edit")).Response.StatusCode);

        foreach (var (user, slug, status) in new[]
                 {
                     (stranger, hidden, HttpStatusCode.NotFound), (editor, hidden, HttpStatusCode.Forbidden), (stranger, open, HttpStatusCode.Forbidden),
                     (stranger, "no-such-dataset", HttpStatusCode.NotFound),
                 })
        {
            using var browser = await _node.SignedInAsync(user);
            var (get, html) = await browser.GetAsync($"/datasets/{slug}/edit");
            Assert.Equal(status, get.StatusCode);
            Assert.DoesNotContain("id=\"dataset-save\"", html);
            Assert.DoesNotContain("Hidden", html);

            // A post with a valid token (from a page they may see) changes nothing either.
            var (_, datasets) = await browser.GetAsync("/datasets");
            var token = Browser.Token(datasets);
            var version = slug == "no-such-dataset" ? 0 : _node.Dataset(slug).Version;
            var posts = new[]
            {
                Fields("dataset-edit", token, [("Form.Version", version.ToString()), ("Form.TitleEn", "Taken over"), ("Form.Policy", "Public"), ("Form.Mode", "json"), ("Form.SchemaJson", DatasetRules.OpenSchema), ("Form.Action", "save")]),
                Fields("grant-add", token, [("Grant.Username", user), ("Grant.Role", "Steward")]),
                Fields("dataset-delete", token, [("Deletion.Slug", slug)]),
            };
            foreach (var post in posts)
            {
                var response = await browser.PostFormAsync($"/datasets/{slug}/edit?delete=1", post);
                Assert.Equal(status, response.StatusCode);
            }
            if (slug != "no-such-dataset")
            {
                var d = _node.Dataset(slug);
                Assert.NotEqual("Taken over", d.Title.En);
                Assert.Equal(version, d.Version);
                Assert.NotEqual(GrantRole.Steward, d.GrantOf(user));
            }
        }
        using (var s = await _node.SignedInAsync(stranger))
            Assert.DoesNotContain($"/datasets/{open}/edit", (await s.GetAsync("/datasets")).Html);
    }

    [Fact]
    public async Task A_steward_saves_settings_and_the_builder_is_rebuilt_from_a_simple_schema()
    {
        var steward = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Private, "Rooms", (steward, GrantRole.Steward));
        _node.Service<DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft
        {
            Schema = """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"name":{"type":"string"},"floor":{"type":"integer"}},"required":["name"]}""",
        });
        _node.AddRecords(slug, 2, i => $$"""{"name":"Room {{i}}","floor":{{i}}}""");
        using var browser = await _node.SignedInAsync(steward);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        Assert.Contains("value=\"name\"", Tag(html, "field-name-0"));
        Assert.Contains("checked", Tag(html, "field-required-0"));
        Assert.Contains("value=\"floor\"", Tag(html, "field-name-1"));
        Assert.Contains("<option value=\"integer\" selected", html);
        Assert.Contains("id=\"field-name-4\"", html); // three spare rows
        Assert.DoesNotContain("id=\"schema-json\"", html);

        var d = _node.Dataset(slug);
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), d,
            ("Form.TitleFr", "Salles"), ("Form.Licence", "ODbL-1.0"), ("Form.Mode", "builder"), ("Form.SchemaJson", ""),
            ("Form.Fields[0].Name", "name"), ("Form.Fields[0].Required", "true"),
            ("Form.Fields[1].Name", "floor"), ("Form.Fields[1].Type", "integer"),
            ("Form.Fields[2].Name", "note"), ("Form.Fields[2].Type", "text")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/datasets/{slug}", Location(response));
        var saved = _node.Dataset(slug);
        Assert.Equal(("Salles", "Rooms", "ODbL-1.0", d.Version + 1), (saved.Title.Fr, saved.Title.En, saved.License, saved.Version));
        Assert.Contains("\"note\"", saved.Schema);

        // A schema the records do not meet is refused next to the schema; nothing changes.
        var (_, again) = await browser.GetAsync($"/datasets/{slug}/edit");
        var refused = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(again), saved,
            ("Form.SchemaJson", """{"type":"object","required":["colour"]}""")));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("does not meet the new schema", MessageFor(refusedHtml, "schema-json"));
        Assert.Equal(saved.Schema, _node.Dataset(slug).Schema);
    }

    [Fact]
    public async Task A_rich_schema_opens_as_json_and_is_kept_as_it_is_when_other_settings_change()
    {
        const string rich = """{"type":"object","properties":{"name":{"type":"string","minLength":2}},"additionalProperties":false}""";
        var slug = _node.CreateDataset(SharingPolicy.Private, "Rich");
        _node.Service<DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft { Schema = rich });
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        Assert.Contains("id=\"schema-json\"", html);
        Assert.Contains("minLength", html);
        Assert.DoesNotContain("id=\"field-name-0\"", html);
        Assert.Contains("id=\"schema-too-rich\"", html); // says so in plain words, next to the way back

        var d = _node.Dataset(slug);
        var pretty = System.Text.Json.Nodes.JsonNode.Parse(rich)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), d, ("Form.TitleEn", "Rich, renamed"), ("Form.SchemaJson", pretty)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(rich, _node.Dataset(slug).Schema); // same meaning: the stored text is untouched
    }

    [Fact]
    public async Task A_schema_with_labels_help_and_limits_opens_in_the_builder_in_the_members_language()
    {
        const string titled = """{"type":"object","properties":{"atelier":{"type":"string","title":"Nom de l’atelier","x-titles":{"nl":"Naam"},"description":"Comme sur l’affiche","maxLength":80},"places":{"type":"integer","minimum":1}},"required":["atelier"]}""";
        var slug = _node.CreateDataset(SharingPolicy.Private, "Titled");
        _node.Service<DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft { Schema = titled });
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "nl");
        var (_, raw) = await browser.GetAsync($"/datasets/{slug}/edit");
        var html = WebUtility.HtmlDecode(raw);
        Assert.DoesNotContain("id=\"schema-json\"", html);
        Assert.Contains("value=\"Naam\"", Tag(html, "field-label-0")); // the member's language in view
        Assert.Contains("value=\"Nom de l’atelier\"", Tag(html, "field-label-fr-0"));
        Assert.Contains("value=\"atelier\"", Tag(html, "field-name-0"));
        Assert.Contains("value=\"80\"", Tag(html, "field-max-0"));
        Assert.Contains("value=\"1\"", Tag(html, "field-min-1"));
        Assert.Contains(">Comme sur l’affiche</textarea>", html);
        Assert.Contains("checked", Tag(html, "field-required-0"));
    }

    [Fact]
    public async Task A_stale_edit_says_so_keeps_what_was_typed_and_saves_on_the_second_try()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Stale");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var opened = _node.Dataset(slug);
        _node.Service<DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft { License = "CC0-1.0" });

        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), opened, ("Form.TitleEn", "My careful new title")));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Someone changed this dataset", page);
        Assert.Contains("role=\"alert\"", page);
        Assert.Contains("value=\"My careful new title\"", Tag(page, "title-en"));
        Assert.Equal("Stale", _node.Dataset(slug).Title.En);
        var version = System.Text.RegularExpressions.Regex.Match(page, "name=\"Form.Version\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.Equal(_node.Dataset(slug).Version.ToString(), version);

        var again = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(page), _node.Dataset(slug), ("Form.TitleEn", "My careful new title")));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("My careful new title", _node.Dataset(slug).Title.En);
    }

    [Fact]
    public async Task Bad_settings_are_shown_next_to_their_fields_and_nothing_changes()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Careful");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var d = _node.Dataset(slug);
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), d,
            ("Form.TitleEn", ""), ("Form.AllowedPeers", "ok.example\nbad host"), ("Form.SchemaJson", "[1,2")));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertFlagged(page, "allowed-peers");
        AssertFlagged(page, "schema-json");
        AssertFlagged(page, "title-en", "title");
        Assert.Equal(d.Version, _node.Dataset(slug).Version);
    }

    [Fact]
    public async Task Roles_are_given_changed_and_removed_after_a_confirmation()
    {
        var steward = _node.CreateMember();
        var helper = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Private, "Roles", (steward, GrantRole.Steward));
        using var browser = await _node.SignedInAsync(steward);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");

        var unknown = await browser.PostFormAsync($"/datasets/{slug}/edit", Fields("grant-add", Browser.Token(html), [("Grant.Username", "nobody-here"), ("Grant.Role", "Editor")]));
        var unknownHtml = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no member", MessageFor(unknownHtml, "grant-username"));
        AssertFlagged(unknownHtml, "grant-username");

        var added = await browser.PostFormAsync($"/datasets/{slug}/edit", Fields("grant-add", Browser.Token(html), [("Grant.Username", helper), ("Grant.Role", "Viewer")]));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal($"/datasets/{slug}/edit", Location(added));
        Assert.Equal(GrantRole.Viewer, _node.Dataset(slug).GrantOf(helper));

        var (_, withGrant) = await browser.GetAsync($"/datasets/{slug}/edit");
        Assert.Contains($"id=\"grant-role-{helper}\"", withGrant);
        var grants = _node.Dataset(slug).Grants;
        var roles = grants.SelectMany((g, i) => new[] { ($"Roles.Items[{i}].Username", g.Username), ($"Roles.Items[{i}].Role", g.Username == helper ? "Editor" : g.Role.ToString()) });
        var changed = await browser.PostFormAsync($"/datasets/{slug}/edit", Fields("grant-roles", Browser.Token(withGrant), roles));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(GrantRole.Editor, _node.Dataset(slug).GrantOf(helper));
        Assert.Equal(GrantRole.Steward, _node.Dataset(slug).GrantOf(steward));

        // Removing goes through a confirmation page first; the link alone changes nothing.
        var (confirmPage, confirmHtml) = await browser.GetAsync($"/datasets/{slug}/edit?remove-grant={helper}");
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode);
        Assert.Contains("id=\"grant-remove-confirm\"", confirmHtml);
        Assert.Equal(GrantRole.Editor, _node.Dataset(slug).GrantOf(helper));
        var removed = await browser.PostFormAsync($"/datasets/{slug}/edit?remove-grant={helper}", Fields("grant-remove", Browser.Token(confirmHtml), [("Removal.Username", helper)]));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null(_node.Dataset(slug).GrantOf(helper));

        // The last steward cannot remove their own role: said on the page, nothing changes.
        var (_, self) = await browser.GetAsync($"/datasets/{slug}/edit?remove-grant={steward}");
        var refused = await browser.PostFormAsync($"/datasets/{slug}/edit?remove-grant={steward}", Fields("grant-remove", Browser.Token(self), [("Removal.Username", steward)]));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("last steward", await refused.Content.ReadAsStringAsync());
        Assert.Equal(GrantRole.Steward, _node.Dataset(slug).GrantOf(steward));

        var forged = await browser.PostFormAsync($"/datasets/{slug}/edit", [new("_handler", "grant-add"), new("Grant.Username", helper), new("Grant.Role", "Steward")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(_node.Dataset(slug).GrantOf(helper));
    }

    [Fact]
    public async Task Deleting_needs_the_confirmation_with_the_slug_typed_again()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Doomed");
        _node.AddRecords(slug, 3, i => $$"""{"n":{{i}}}""");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        Assert.Contains("id=\"delete-dataset\"", html);
        Assert.DoesNotContain("id=\"dataset-delete-confirm\"", html);

        var (_, confirm) = await browser.GetAsync($"/datasets/{slug}/edit?delete=1");
        Assert.Contains("id=\"dataset-delete-confirm\"", confirm);
        Assert.Contains("for=\"delete-slug\"", confirm);

        var wrong = await browser.PostFormAsync($"/datasets/{slug}/edit?delete=1", Fields("dataset-delete", Browser.Token(confirm), [("Deletion.Slug", "something-else")]));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        AssertFlagged(await wrong.Content.ReadAsStringAsync(), "delete-slug");
        Assert.NotNull(_node.Dataset(slug));

        var forged = await browser.PostFormAsync($"/datasets/{slug}/edit?delete=1", [new("_handler", "dataset-delete"), new("Deletion.Slug", slug)]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.NotNull(_node.Dataset(slug));

        var deleted = await browser.PostFormAsync($"/datasets/{slug}/edit?delete=1", Fields("dataset-delete", Browser.Token(confirm), [("Deletion.Slug", slug)]));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/datasets", Location(deleted));
        Assert.DoesNotContain(_node.Service<DatasetService>().ListVisible(UiNode.Admin), d => d.Slug == slug);
    }

    [Fact]
    public async Task A_settings_post_without_the_antiforgery_token_is_refused()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Guarded");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var fields = EditForm("x", _node.Dataset(slug), ("Form.TitleEn", "Forged"));
        fields.RemoveAll(f => f.Key == "__RequestVerificationToken");
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Guarded", _node.Dataset(slug).Title.En);
    }
}
