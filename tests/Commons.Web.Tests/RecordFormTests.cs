using System.Globalization;
using System.Net;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Node.Web.Records;
using static Commons.Web.Tests.RecordPages;

namespace Commons.Web.Tests;

/// <summary>The new-record form generated from a dataset's schema: every kind of input, and bad input kept and explained next to its field.</summary>
public sealed class RecordFormTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private static readonly (string Name, string Value)[] ValidRoom =
    [
        ("id", ""),
        ("data.name", "Salle <Verte> & co"),
        ("data.notes", "Line one\r\nLine two"),
        ("data.seats", "12"),
        ("data.price", "3.5"),
        ("data.accessible", "true"),
        ("data.kind", "hall"),
        ("data.opened", "2025-03-31"),
        ("data.contact", "desk@example.org"),
        ("data.site", "https://example.org/rooms"),
        ("data.address", """{"city":"Bruxelles"}"""),
        ("data.tags", """["calm","light"]"""),
        ("shared", "true"),
    ];

    private static (string, string)[] With(params (string Name, string Value)[] changes) =>
        ValidRoom.Where(f => changes.All(c => c.Name != f.Name)).Concat(changes).ToArray();

    [Fact]
    public async Task The_form_has_one_input_of_the_right_kind_per_schema_property()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (response, html) = await browser.GetAsync($"/datasets/{slug}/records/new");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Contains("type=\"text\"", Tag(html, "field-name"));
        Assert.Contains("maxlength=\"80\"", Tag(html, "field-name"));
        Assert.StartsWith("<textarea", Tag(html, "field-notes"));
        Assert.Contains("type=\"number\"", Tag(html, "field-seats"));
        Assert.Contains("step=\"1\"", Tag(html, "field-seats"));
        Assert.Contains("step=\"any\"", Tag(html, "field-price"));
        Assert.Contains("type=\"checkbox\"", Tag(html, "field-accessible"));
        Assert.StartsWith("<select", Tag(html, "field-kind"));
        Assert.Contains("<option value=\"office\">office</option>", html);
        Assert.Contains("type=\"date\"", Tag(html, "field-opened"));
        Assert.Contains("type=\"email\"", Tag(html, "field-contact"));
        Assert.Contains("type=\"url\"", Tag(html, "field-site"));
        Assert.Contains("class=\"json\"", Tag(html, "field-address"));
        Assert.Contains("class=\"json\"", Tag(html, "field-tags"));
        Assert.Contains("name=\"data.address\"", Tag(html, "field-address"));
        Assert.Contains("type=\"checkbox\"", Tag(html, "shared"));
        Assert.Contains("checked", Tag(html, "shared")); // a new record is shared unless unticked, as on the API
        Assert.Contains("type=\"submit\"", Tag(html, "record-save"));
        Assert.DoesNotContain("id=\"record-other\"", html); // additionalProperties: false

        // Every input has a label; required ones say so; the description is tied to its input.
        foreach (var field in new[] { "name", "notes", "seats", "price", "accessible", "kind", "opened", "contact", "site", "address", "tags" })
            Assert.Contains($"<label for=\"field-{field}\">", html);
        Assert.Contains("required", Tag(html, "field-name"));
        Assert.DoesNotContain("required", Tag(html, "field-notes"));
        Assert.Matches("<label for=\"field-name\">Name\\s*<span class=\"required\">\\(required\\)</span>\\s*</label>", html);
        Assert.Contains("aria-describedby=\"hint-notes\"", Tag(html, "field-notes"));
        Assert.Contains("<p class=\"hint\" id=\"hint-notes\">Anything worth knowing</p>", html);
        Assert.DoesNotContain("style=", html);
    }

    [Fact]
    public async Task A_record_created_through_the_form_is_stored_with_every_type_right()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);

        var id = RecordIdFrom(await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", ValidRoom), slug);

        var stored = _node.Stored(slug, id)!;
        var expected = JsonDocument.Parse("""
            {"name":"Salle <Verte> & co","notes":"Line one\nLine two","seats":12,"price":3.5,"accessible":true,"kind":"hall",
             "opened":"2025-03-31","contact":"desk@example.org","site":"https://example.org/rooms","address":{"city":"Bruxelles"},"tags":["calm","light"]}
            """).RootElement;
        Assert.True(JsonElement.DeepEquals(expected, stored.Data), stored.Data.GetRawText());
        Assert.True(stored.Shared);
        Assert.Equal(1, stored.Revision);
        Assert.Equal("admin", stored.CreatedBy);

        var (page, html) = await browser.GetAsync($"/datasets/{slug}/records/{id}?saved=1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"record-saved\"", html);
        Assert.Contains("value=\"Salle &lt;Verte&gt; &amp; co\"", Tag(html, "field-name"));
    }

    [Fact]
    public async Task Empty_optional_inputs_leave_their_property_out_and_an_unticked_box_stores_false_and_unshared()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var id = RecordIdFrom(await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new",
            ("id", "small-room"), ("data.name", "Petite"), ("data.seats", "4"), ("data.kind", "room"), ("data.notes", ""), ("data.price", " "), ("data.address", "")), slug);

        Assert.Equal("small-room", id);
        var stored = _node.Stored(slug, id)!;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse("""{"name":"Petite","seats":4,"accessible":false,"kind":"room"}""").RootElement, stored.Data), stored.Data.GetRawText());
        Assert.False(stored.Shared);
    }

    [Theory]
    [InlineData("fr-BE,fr;q=0.9", "3,5", 3.5)]
    [InlineData("nl-BE,nl;q=0.9", "3,5", 3.5)]
    [InlineData("fr-BE,fr;q=0.9", "3.5", 3.5)]
    [InlineData("en", "3.5", 3.5)]
    [InlineData("fr-BE,fr;q=0.9", "1 234,25", 1234.25)]
    public async Task Numbers_are_read_with_the_comma_in_french_and_dutch_and_with_a_point_everywhere(string language, string typed, double expected)
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, language);
        var id = RecordIdFrom(await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(("data.price", typed))), slug);
        Assert.Equal(expected, _node.Stored(slug, id)!.Data.GetProperty("price").GetDouble());
    }

    [Theory]
    [InlineData("3,5", "en", false)]
    [InlineData("3,5", "fr", true)]
    [InlineData("1.000,5", "nl", true)]
    [InlineData("1,000.5", "en", true)]
    [InlineData("abc", "fr", false)]
    [InlineData("3,5,6", "fr", false)]
    [InlineData("", "fr", false)]
    public void Form_numbers_accept_the_cultures_separators(string text, string culture, bool ok) =>
        Assert.Equal(ok, FormNumbers.TryRead(text, CultureInfo.GetCultureInfo(culture), out _));

    [Theory]
    [InlineData("name", "", "This field is required.")]
    [InlineData("seats", "abc", "Enter a whole number, for example 12.")]
    [InlineData("seats", "2.5", "Enter a whole number, for example 12.")]
    [InlineData("seats", "-1", "At least 0.")]
    [InlineData("price", "3,5", "Enter a number, for example 3.5.")] // English: the comma is not a decimal separator
    [InlineData("kind", "purple", "Choose one of the values in the list.")]
    [InlineData("address", "{not json", "This is not valid JSON (line 1,")]
    [InlineData("address", "{\"city\":\"Anderlecht\",\"city\":\"Ixelles\"}", "is given twice; keep one.")]
    [InlineData("address", "{\"city\":\"\\ud800\"}", "holds an escape that is not a character")]
    [InlineData("address", "{}", "city: This field is required.")]
    [InlineData("tags", "\"calm\"", "Expected a JSON list […].")]
    [InlineData("opened", "31/03/2025", "Enter a date (year-month-day")]
    [InlineData("contact", "not an address", "Enter an email address")]
    [InlineData("name", "a name far too long for the eighty characters that the schema of this dataset allows here", "At most 80 characters.")]
    public async Task Bad_input_is_kept_explained_next_to_its_field_and_nothing_is_stored(string field, string value, string message)
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"Existing","seats":1,"kind":"room"}""");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);

        var response = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(($"data.{field}", value), ("data.notes", "kept notes")));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertFieldError(html, field, message);
        AssertNoFieldError(html, field == "name" ? "seats" : "name");
        Assert.Equal(1, _node.LiveRecords(slug));
        // What was typed stays in the form, the bad value included.
        Assert.Contains("kept notes", html);
        if (value.Length > 0) Assert.Contains(System.Net.WebUtility.HtmlEncode(value), html);
        if (field != "contact") Assert.Contains("value=\"desk@example.org\"", Tag(html, "field-contact"));
    }

    [Fact]
    public async Task Several_errors_are_each_shown_at_their_field_in_french()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword, "fr-BE,fr;q=0.9");
        var response = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(("data.name", ""), ("data.kind", "violet"), ("data.seats", "douze")));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The number could not be read, so the schema was not asked yet: its error comes alone, then the others once it is fixed.
        AssertFieldError(html, "seats", "Entrez un nombre entier, par exemple 12.");
        Assert.Contains("L’enregistrement n’a pas été sauvegardé", WebUtility.HtmlDecode(html));

        var second = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(("data.name", ""), ("data.kind", "violet")));
        var again = await second.Content.ReadAsStringAsync();
        AssertFieldError(again, "name", "Ce champ est obligatoire.");
        AssertFieldError(again, "kind", "Choisissez une des valeurs de la liste.");
        Assert.Contains("<option value=\"violet\" selected>violet</option>", again);
        Assert.Equal(0, _node.LiveRecords(slug));
    }

    [Fact]
    public async Task A_taken_or_malformed_identifier_is_shown_at_the_identifier()
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private);
        _node.AddRecord(slug, """{"name":"Existing","seats":1,"kind":"room"}""", id: "taken");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);

        var taken = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(("id", "taken")));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var html = await taken.Content.ReadAsStringAsync();
        Assert.Contains("aria-invalid=\"true\"", Tag(html, "record-id"));
        Assert.Contains("A record with this identifier already exists.", html);
        Assert.Equal("Existing", _node.Stored(slug, "taken")!.Data.GetProperty("name").GetString());

        var bad = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", With(("id", "no spaces")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"error-record-id\"", await bad.Content.ReadAsStringAsync());
        Assert.Equal(1, _node.LiveRecords(slug));
    }

    [Fact]
    public async Task A_dataset_without_listed_fields_takes_the_record_as_one_json_object()
    {
        var slug = _node.CreateDatasetWithSchema(null, SharingPolicy.Private);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, form) = await browser.GetAsync($"/datasets/{slug}/records/new");
        Assert.StartsWith("<textarea", Tag(form, "record-other"));
        Assert.Contains("<label for=\"record-other\">Data (JSON)</label>", form);

        var notObject = await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", ("other", "[1,2]"), ("shared", "true"));
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
        Assert.Contains("id=\"error-record-other\"", await notObject.Content.ReadAsStringAsync());
        Assert.Equal(0, _node.LiveRecords(slug));

        var id = RecordIdFrom(await browser.SubmitAsync($"/datasets/{slug}/records/new", "record-new", ("other", """{"title":"Libre","n":2}"""), ("shared", "true")), slug);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse("""{"title":"Libre","n":2}""").RootElement, _node.Stored(slug, id)!.Data));
    }
}
