using System.Net;
using Commons.Node.Http;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Services;
using static Commons.Web.Tests.DatasetPages;

namespace Commons.Web.Tests;

/// <summary>/datasets/new over real HTTP: the form, the builder, JSON Schema text, every bad input next to its field.</summary>
public sealed class DatasetNewTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private bool Exists(string slug) => _node.Service<DatasetService>().ListVisible(UiNode.Admin).Any(d => d.Slug == slug);

    [Fact]
    public async Task A_member_creates_a_dataset_with_the_builder_and_becomes_its_steward()
    {
        var member = _node.CreateMember();
        using var browser = await _node.SignedInAsync(member);
        var (_, list) = await browser.GetAsync("/datasets");
        Assert.Contains("id=\"new-dataset\"", list);

        var (page, html) = await browser.GetAsync("/datasets/new");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        foreach (var id in new[] { "slug", "title-fr", "title-nl", "title-en", "description-fr", "description-nl", "description-en", "licence", "policy",
                     "allowed-peers", "excluded-fields", "field-name-0", "field-type-0", "field-required-0", "field-name-2", "dataset-save", "add-rows", "schema-to-json" })
        {
            Assert.Contains($"id=\"{id}\"", html);
            if (!id.Contains("save") && !id.Contains("rows") && !id.Contains("json")) Assert.Contains($"for=\"{id}\"", html);
        }
        foreach (var policy in new[] { "Private", "Peers", "Approval", "Public" }) Assert.Contains($"<option value=\"{policy}\"", html);

        var slug = _node.Unique("salles-");
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), slug, "Rooms",
            ("Form.TitleFr", "Salles"), ("Form.DescriptionNl", "Zalen <b>vet</b>"), ("Form.Licence", "CC-BY-4.0"), ("Form.Policy", "Peers"),
            ("Form.AllowedPeers", "Other.Example\r\n\r\nhttps://third.example:8443/"), ("Form.ExcludedFields", "contact.phone\nemail"),
            ("Form.Fields[0].Name", "name"), ("Form.Fields[0].Type", "string"), ("Form.Fields[0].Required", "true"),
            ("Form.Fields[1].Name", ""), ("Form.Fields[1].Type", "integer"),
            ("Form.Fields[2].Name", "seats"), ("Form.Fields[2].Type", "integer"),
            ("Form.Fields[3].Name", "kind"), ("Form.Fields[3].Type", "enum"), ("Form.Fields[3].Options", "room, hall")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/datasets/{slug}", Location(response));
        var d = _node.Dataset(slug);
        Assert.Equal(new LocalizedText("Salles", null, "Rooms"), d.Title);
        Assert.Equal("Zalen <b>vet</b>", d.Description.Nl);
        Assert.Equal(("CC-BY-4.0", SharingPolicy.Peers), (d.License, d.Policy));
        Assert.Equal(["other.example", "third.example:8443"], d.AllowedPeers);
        Assert.Equal(["contact.phone", "email"], d.ExcludedFields);
        Assert.Equal(GrantRole.Steward, d.GrantOf(member));
        var schema = JsonNode.Parse(d.Schema)!;
        Assert.Equal(["name", "seats", "kind"], schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["name"], schema["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["room", "hall"], schema["properties"]!["kind"]!["enum"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task A_dataset_is_created_from_json_schema_text()
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/datasets/new");
        var slug = _node.Unique("json-");
        const string schema = """{"type":"object","properties":{"when":{"type":"string","format":"date-time"}},"additionalProperties":false}""";
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), slug, "From JSON", ("Form.Mode", "json"), ("Form.SchemaJson", schema)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(schema, _node.Dataset(slug).Schema);
    }

    [Fact]
    public async Task Add_rows_and_the_json_toggle_change_the_form_and_store_nothing()
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/datasets/new");
        var token = Browser.Token(html);
        var slug = _node.Unique("toggle-");
        (string, string)[] rows = [("Form.Fields[0].Name", "name"), ("Form.Fields[0].Required", "true"), ("Form.Fields[1].Name", "floor"), ("Form.Fields[1].Type", "integer"), ("Form.Fields[2].Name", "")];

        var added = await browser.PostFormAsync("/datasets/new", NewForm(token, slug, "Toggle", [.. rows, ("Form.Action", "add-rows")]));
        var addedHtml = await added.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("id=\"field-name-5\"", addedHtml);
        Assert.DoesNotContain("id=\"field-name-6\"", addedHtml);
        Assert.Contains("value=\"floor\"", Tag(addedHtml, "field-name-1"));
        Assert.Contains("checked", Tag(addedHtml, "field-required-0"));

        var json = await browser.PostFormAsync("/datasets/new", NewForm(token, slug, "Toggle", [.. rows, ("Form.Action", "to-json")]));
        var jsonHtml = await json.Content.ReadAsStringAsync();
        Assert.Contains("id=\"schema-json\"", jsonHtml);
        Assert.DoesNotContain("id=\"field-name-0\"", jsonHtml);
        Assert.Contains("&quot;floor&quot;", jsonHtml);
        Assert.Contains("value=\"json\"", jsonHtml);

        var richer = """{"type":"object","properties":{"name":{"type":"string","pattern":"^[A-Z]"}}}""";
        var back = await browser.PostFormAsync("/datasets/new", NewForm(token, slug, "Toggle", ("Form.Mode", "json"), ("Form.SchemaJson", richer), ("Form.Action", "to-builder")));
        var backHtml = await back.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.Contains("id=\"schema-json\"", backHtml);
        Assert.Contains("pattern", backHtml); // the text typed is still there
        AssertFlagged(backHtml, "schema-json");
        Assert.False(Exists(slug));
    }

    public static TheoryData<string, (string, string)[], string> BadInputs => new()
    {
        { "slug", [("Form.Slug", "Bad Slug!")], "1 to 64 characters" },
        { "slug", [("Form.Slug", "new")], "kept for the interface" },
        { "title", [("Form.TitleEn", "  ")], "at least one language" },
        { "schema-json", [("Form.Mode", "json"), ("Form.SchemaJson", "{ not json")], "cannot be used" },
        { "schema-json", [("Form.Mode", "json"), ("Form.SchemaJson", """{"type":"array"}""")], "cannot be used" },
        { "allowed-peers", [("Form.AllowedPeers", "good.example\nnot a host")], "Line 2 (“not a host”)" },
        { "excluded-fields", [("Form.ExcludedFields", "a..b")], "Line 1" },
        { "licence", [("Form.Licence", "not a licence!")], "from the list" },
        { "field-name-1", [("Form.Fields[0].Name", "name"), ("Form.Fields[1].Name", "name")], "already has this technical name" },
        { "field-name-1", [("Form.Fields[0].Name", "public_vise"), ("Form.Fields[1].Name", "public_visé")], "already has this technical name" },
        { "field-name-0", [("Form.Fields[0].Name", "«»")], "no letter a–z or digit" },
        { "field-min-0", [("Form.Fields[0].Name", "seats"), ("Form.Fields[0].Type", "integer"), ("Form.Fields[0].Min", "many")], "whole number" },
        { "field-max-0", [("Form.Fields[0].Name", "day"), ("Form.Fields[0].Type", "date"), ("Form.Fields[0].Max", "3")], "texts and numbers only" },
        { "field-options-0", [("Form.Fields[0].Name", "kind"), ("Form.Fields[0].Type", "enum")], "at least one option" },
        { "policy", [("Form.Policy", "Everyone")], "sharing policies" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_is_shown_next_to_its_field_and_nothing_is_created(string input, (string, string)[] fields, string message)
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/datasets/new");
        var slug = _node.Unique("bad-");
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), slug, "Bad input", fields));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", page);
        Assert.Contains(message, MessageFor(page, input));
        if (input == "title") AssertFlagged(page, "title-en", "title");
        else AssertFlagged(page, input);
        Assert.False(Exists(slug));
        Assert.DoesNotContain(_node.Service<DatasetService>().ListVisible(UiNode.Admin), d => d.Title.En == "Bad input");
    }

    [Fact]
    public async Task Every_bad_input_is_named_at_once_and_what_was_typed_stays()
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/datasets/new");
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), "Bad Slug", "",
            ("Form.TitleFr", ""), ("Form.DescriptionFr", "Une description à garder"), ("Form.AllowedPeers", "not a host"),
            ("Form.Fields[0].Name", "name"), ("Form.Fields[1].Name", "name")));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        foreach (var input in new[] { "slug", "title", "allowed-peers", "field-name-1", "schema" }) Assert.NotNull(MessageFor(page, input));
        Assert.Contains("Une description à garder", page);
        Assert.Contains("value=\"Bad Slug\"", Tag(page, "slug"));
        Assert.Contains("href=\"#field-name-1\"", page); // the summary links to the input
    }

    [Fact]
    public async Task A_slug_already_taken_is_a_conflict_next_to_the_slug()
    {
        var taken = _node.CreateDataset(SharingPolicy.Private, "Taken");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/datasets/new");
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), taken, "Second"));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already has this web address", MessageFor(page, "slug"));
        Assert.Equal("Taken", _node.Dataset(taken).Title.En);
    }

    [Fact]
    public async Task The_messages_are_in_french_and_dutch()
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        browser.Cookies.Add(_node.Address, new Cookie(browser.CookieName(CookieNames.Language), "fr"));
        var (_, html) = await browser.GetAsync("/datasets/new");
        Assert.Contains("<h1>Nouveau jeu de données</h1>", html);
        var response = await browser.PostFormAsync("/datasets/new", NewForm(Browser.Token(html), "x", " "));
        Assert.Contains("Donnez un titre dans au moins une langue.", MessageFor(await response.Content.ReadAsStringAsync(), "title"));

        browser.Cookies.Add(_node.Address, new Cookie(browser.CookieName(CookieNames.Language), "nl"));
        var (_, nl) = await browser.GetAsync("/datasets/new");
        Assert.Contains("<h1>Nieuwe dataset</h1>", nl);
        Assert.Contains("Keuzelijst", nl);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var slug = _node.Unique("forged-");
        var fields = NewForm("x", slug, "Forged");
        fields.RemoveAll(f => f.Key == "__RequestVerificationToken");
        var response = await browser.PostFormAsync("/datasets/new", fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(Exists(slug));
    }
}
