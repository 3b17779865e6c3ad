using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Errors;

namespace Commons.Core.Tests.Datasets;

/// <summary>How records are named and shown: the title field, the columns and the labels per language, over odd schemas too.</summary>
public sealed class RecordDisplayTests
{
    private const string Rooms = """
        {"type":"object","properties":{
          "seats":{"type":"integer"},
          "email":{"type":"string","format":"email"},
          "notes":{"type":"string","maxLength":2000},
          "kind":{"type":"string","enum":["room","hall"]},
          "name":{"type":"string","maxLength":80,"title":"Name","x-titles":{"fr":"Nom","nl":"Naam"}},
          "commune":{"type":["string","null"],"title":"Commune"},
          "opened":{"type":"string","format":"date"}}}
        """;

    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void The_title_is_the_first_short_text_field_skipping_numbers_formats_long_texts_and_lists()
    {
        var display = RecordDisplay.Of(Rooms);
        Assert.Equal("name", display.TitleField);
        Assert.Equal(["seats", "email", "notes", "kind", "commune", "opened"], display.Columns);
        Assert.Equal(["seats", "email", "notes", "kind", "name", "commune", "opened"], display.Fields);
    }

    [Fact]
    public void A_chosen_title_may_be_any_text_field_even_nullable_but_never_a_list_of_choices_or_a_number()
    {
        Assert.Equal("commune", RecordDisplay.Of(Rooms, "commune").TitleField);
        Assert.Equal("notes", RecordDisplay.Of(Rooms, "notes").TitleField); // long text, chosen on purpose
        Assert.Equal("name", RecordDisplay.Of(Rooms, "kind").TitleField);
        Assert.Equal("name", RecordDisplay.Of(Rooms, "seats").TitleField);
        Assert.Equal("name", RecordDisplay.Of(Rooms, "gone").TitleField);
    }

    [Fact]
    public void A_nullable_string_is_text_but_a_string_or_number_is_not()
    {
        var display = RecordDisplay.Of("""{"properties":{"a":{"type":["string","number"]},"b":{"type":["null","string"]}}}""");
        Assert.Equal("b", display.TitleField);
        Assert.Equal(["a"], display.Columns);
    }

    [Fact]
    public void A_schema_without_text_fields_names_no_record()
    {
        var display = RecordDisplay.Of("""{"type":"object","properties":{"n":{"type":"integer"},"k":{"type":"string","enum":["x"]},"d":{"type":"string","format":"date-time"}}}""");
        Assert.Null(display.TitleField);
        Assert.Equal(["n", "k", "d"], display.Columns);
        Assert.Null(display.TitleOf(Data("""{"n":1,"k":"x"}""")));
    }

    [Theory]
    [InlineData("not json {")]
    [InlineData("[1,2]")]
    [InlineData("""{"properties":[]}""")]
    [InlineData("")]
    [InlineData(null)]
    public void A_schema_that_does_not_parse_or_has_no_properties_shows_records_by_id_without_columns(string? schema)
    {
        var display = RecordDisplay.Of(schema, "name", ["name"]);
        Assert.Null(display.TitleField);
        Assert.Empty(display.Columns);
        Assert.Empty(display.Fields);
        Assert.False(display.Has("name"));
        Assert.Equal("name", display.Label("name", "fr"));
    }

    [Fact]
    public void Chosen_columns_keep_their_order_drop_unknown_duplicate_and_title_fields()
    {
        var display = RecordDisplay.Of(Rooms, "commune", ["opened", "gone", "commune", "seats", "opened"]);
        Assert.Equal(["opened", "seats"], display.Columns);
        // All chosen ones gone (the schema changed): every field but the title again.
        Assert.Equal(["seats", "email", "notes", "kind", "commune", "opened"], RecordDisplay.Of(Rooms, null, ["gone"]).Columns);
    }

    [Fact]
    public void Labels_come_from_x_titles_in_the_language_then_title_then_key()
    {
        var display = RecordDisplay.Of(Rooms);
        Assert.Equal("Nom", display.Label("name", "fr"));
        Assert.Equal("Naam", display.Label("name", "nl"));
        Assert.Equal("Name", display.Label("name", "en")); // no en entry: the title
        Assert.Equal("Commune", display.Label("commune", "nl"));
        Assert.Equal("seats", display.Label("seats", "fr"));
        Assert.Equal("unknown", display.Label("unknown", "fr"));
        var onlyFrench = RecordDisplay.Of("""{"properties":{"a":{"type":"string","x-titles":{"fr":"Atelier"}}}}""");
        Assert.Equal("Atelier", onlyFrench.Label("a", "nl")); // another language before the key
        var blank = RecordDisplay.Of("""{"properties":{"a":{"type":"string","title":"  ","x-titles":{"fr":" ","nl":3}}}}""");
        Assert.Equal("a", blank.Label("a", "fr"));
    }

    [Fact]
    public void The_title_of_a_record_is_its_trimmed_text_or_null_when_blank_missing_or_not_text()
    {
        var display = RecordDisplay.Of(Rooms);
        Assert.Equal("Salle Dupont", display.TitleOf(Data("""{"name":"  Salle Dupont "}""")));
        Assert.Null(display.TitleOf(Data("""{"name":"   "}""")));
        Assert.Null(display.TitleOf(Data("""{"seats":3}""")));
        Assert.Null(display.TitleOf(Data("""{"name":12}""")));
        Assert.Null(display.TitleOf(Data("""["name"]""")));
        Assert.Null(display.TitleOf(default));
    }

    [Fact]
    public void The_rules_refuse_what_cannot_be_shown_by_path()
    {
        Assert.Equal("commune", DatasetRules.CheckTitleField("commune", Rooms));
        Assert.Null(DatasetRules.CheckTitleField("", Rooms));
        Assert.Equal("titleField", Assert.Throws<ValidationException>(() => DatasetRules.CheckTitleField("kind", Rooms)).Errors[0].Path);
        Assert.Equal(["seats", "name"], DatasetRules.CheckColumns(["seats", "name"], Rooms));
        Assert.Equal("columns[1]", Assert.Throws<ValidationException>(() => DatasetRules.CheckColumns(["seats", "seats"], Rooms)).Errors[0].Path);
        Assert.Equal("columns[0]", Assert.Throws<ValidationException>(() => DatasetRules.CheckColumns(["nope"], Rooms)).Errors[0].Path);
    }
}
