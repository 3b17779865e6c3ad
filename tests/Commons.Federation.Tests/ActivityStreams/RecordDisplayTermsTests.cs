using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>
/// spec §3.3: a dataset actor says how its records are shown (<c>commons:titleField</c>, <c>commons:columns</c>), never naming
/// a field the dataset excludes; its Notes are named by the title field; a follower reads those terms, the schema and the
/// description from someone else's document and keeps nothing too large, too deep or of the wrong shape.
/// </summary>
public sealed class RecordDisplayTermsTests
{
    private const string PlacesSchema = """
        {"type":"object","properties":{
          "code":{"type":"string","maxLength":10},
          "nom":{"type":"string","x-titles":{"fr":"Nom","nl":"Naam"}},
          "commune":{"type":"string"},
          "email":{"type":"string","format":"email"},
          "contact":{"type":"object","properties":{"email":{"type":"string"},"phone":{"type":"string"}}},
          "places":{"type":"integer"}}}
        """;

    private static Dataset Places(string? titleField = null, IReadOnlyList<string>? columns = null, params string[] excluded) =>
        Offers(SharingPolicy.Public, excluded) with { Schema = PlacesSchema, TitleField = titleField, Columns = columns ?? [] };

    private static List<string> ColumnsOf(JsonObject actor) => actor[ActivityStreamsContext.Columns]!.AsArray().Select(c => (string)c!).ToList();

    [Fact]
    public void The_actor_publishes_the_stewards_title_field_and_columns_in_their_order()
    {
        var actor = ActorDocuments.DatasetActor(Places("nom", ["commune", "places"]), Uris, Keys);
        Assert.Equal("nom", (string?)actor[ActivityStreamsContext.TitleField]);
        Assert.Equal(["commune", "places"], ColumnsOf(actor));
    }

    [Fact]
    public void Without_choices_the_actor_publishes_the_default_title_and_every_other_field()
    {
        var actor = ActorDocuments.DatasetActor(Places(), Uris, Keys);
        Assert.Equal("code", (string?)actor[ActivityStreamsContext.TitleField]);
        Assert.Equal(["nom", "commune", "email", "contact", "places"], ColumnsOf(actor));
    }

    [Fact]
    public void An_excluded_field_is_never_the_title_nor_a_column_but_a_field_excluded_in_part_stays()
    {
        var actor = ActorDocuments.DatasetActor(Places("nom", ["email", "commune", "contact"], "nom", "$.email", "contact.email"), Uris, Keys);
        Assert.Equal("code", (string?)actor[ActivityStreamsContext.TitleField]);
        Assert.Equal(["commune", "contact"], ColumnsOf(actor));

        var everything = ActorDocuments.DatasetActor(Places(null, null, "code", "nom", "commune", "email", "contact", "places"), Uris, Keys);
        Assert.False(everything.ContainsKey(ActivityStreamsContext.TitleField));
        Assert.False(everything.ContainsKey(ActivityStreamsContext.Columns));
    }

    [Fact]
    public void A_note_is_named_by_the_title_field_then_the_old_guess_then_its_id()
    {
        var dataset = Places("nom", ["commune"]);
        var named = RecordObjects.Note(Record("r1", """{"code":"A1","name":"Drill","nom":"Salle Aurore","commune":"Anderlecht"}"""), dataset, Uris);
        Assert.Equal("Salle Aurore", (string?)named["name"]);

        var blank = RecordObjects.Note(Record("r2", """{"nom":"  ","name":"Drill"}"""), dataset, Uris);
        Assert.Equal("Drill", (string?)blank["name"]);
        Assert.Equal("r3", (string?)RecordObjects.Note(Record("r3", """{"places":3}"""), dataset, Uris)["name"]);

        // An excluded title never names the Note: the next short text field does.
        var excluded = RecordObjects.Note(Record("r4", """{"code":"A4","nom":"Secret"}"""), Places("nom", null, "nom"), Uris);
        Assert.Equal("A4", (string?)excluded["name"]);
        Assert.DoesNotContain("Secret", excluded.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_dataset_names_its_notes_by_its_new_choices()
    {
        // The display is kept per dataset instance: a dataset whose title field or exclusions changed is a new instance
        // with the same slug and key, and its Notes follow the change at once.
        var record = Record("r1", """{"code":"A1","nom":"Salle Aurore","commune":"Anderlecht"}""");
        var before = Places("nom");
        Assert.Equal("Salle Aurore", (string?)RecordObjects.Note(record, before, Uris)["name"]);
        Assert.Equal("Anderlecht", (string?)RecordObjects.Note(record, before with { TitleField = "commune", Version = 2 }, Uris)["name"]);
        Assert.Equal("A1", (string?)RecordObjects.Note(record, before with { ExcludedFields = ["nom"], Version = 2 }, Uris)["name"]);
        Assert.Equal("Salle Aurore", (string?)RecordObjects.Note(record, before, Uris)["name"]);
    }

    [Fact]
    public void A_follower_reads_what_a_commons_actor_publishes()
    {
        var actor = ParseJson(ActorDocuments.DatasetActor(Places("nom", ["commune"]), Uris, Keys).ToJsonString());
        var display = RemoteDatasetDisplay.Read(actor);
        Assert.Equal("nom", display.TitleField);
        Assert.Equal(["commune"], display.Columns);
        Assert.Equal(RecordDisplay.Of(PlacesSchema).Fields, RecordDisplay.Of(display.Schema).Fields);
        Assert.Equal("Nom", RecordDisplay.Of(display.Schema).Label("nom", "fr"));
        Assert.Equal(new LocalizedText("Ce que nous prêtons.", "Wat we uitlenen.", "What we lend."), display.DescriptionMap);
        Assert.Equal("What we lend.", display.Description);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"\"")]
    [InlineData("\"line\\nbreak\"")]
    public void A_title_field_that_is_not_a_short_name_is_not_kept(string value)
    {
        var display = RemoteDatasetDisplay.Read(ParseJson($$"""{"commons:titleField":{{value}}}"""));
        Assert.Null(display.TitleField);
        Assert.Null(RemoteDatasetDisplay.Read(ParseJson($$"""{"commons:titleField":"{{new string('x', 201)}}"}""")).TitleField);
    }

    [Fact]
    public void Columns_keep_only_distinct_short_names_and_at_most_64()
    {
        var display = RemoteDatasetDisplay.Read(ParseJson("""{"commons:columns":["commune",1,null,"commune","",{"x":1},"places"]}"""));
        Assert.Equal(["commune", "places"], display.Columns);
        Assert.Equal(["a", "b"], RemoteDatasetDisplay.Read(ParseJson("""{"commons:columns":{"@list":["a","b"]}}""")).Columns);
        Assert.Empty(RemoteDatasetDisplay.Read(ParseJson("""{"commons:columns":"commune"}""")).Columns);

        var many = new JsonObject { [ActivityStreamsContext.Columns] = new JsonArray([.. Enumerable.Range(0, 100_000).Select(i => JsonValue.Create($"f{i}"))]) };
        Assert.Equal(RemoteDatasetDisplay.MaxColumns, RemoteDatasetDisplay.Read(ParseJson(many.ToJsonString())).Columns.Count);
    }

    [Fact]
    public void A_schema_of_ten_megabytes_or_a_thousand_levels_is_not_kept_and_crashes_nothing()
    {
        var huge = $$"""{"commons:schema":{"type":"object","description":"{{new string('x', 10 * 1024 * 1024)}}"},"commons:titleField":"nom"}""";
        var display = RemoteDatasetDisplay.Read(ParseJson(huge));
        Assert.Null(display.Schema);
        Assert.Equal("nom", display.TitleField);

        var deep = new StringBuilder("""{"commons:schema":""");
        for (var i = 0; i < 1000; i++) deep.Append("""{"a":""");
        deep.Append("1").Append('}', 1000).Append('}');
        using var parsed = JsonDocument.Parse(deep.ToString(), new JsonDocumentOptions { MaxDepth = 2000 });
        Assert.Null(RemoteDatasetDisplay.Read(parsed.RootElement).Schema);

        Assert.Null(RemoteDatasetDisplay.Read(ParseJson("""{"commons:schema":"not an object"}""")).Schema);
        Assert.Null(RemoteDatasetDisplay.Read(ParseJson("[1,2]")).Schema);
    }

    [Fact]
    public void A_description_is_kept_as_plain_text_without_markup_and_bounded()
    {
        var html = """<p>Salles &amp; locaux<br>à <b>Anderlecht</b></p><script>alert(1)</script><style>p{}</style><p>  Deuxième   paragraphe </p><img src=x onerror=alert(2)>""";
        var display = RemoteDatasetDisplay.Read(ParseJson(new JsonObject { ["summary"] = html, ["summaryMap"] = new JsonObject { ["nl"] = "<p>Zalen</p>", ["de"] = "<p>Räume</p>" } }.ToJsonString()));
        Assert.Equal("Salles & locaux\nà Anderlecht\n\nDeuxième paragraphe", display.Description);
        Assert.Equal(new LocalizedText(null, "Zalen", null), display.DescriptionMap);

        var long_ = RemoteDatasetDisplay.Read(ParseJson(new JsonObject { ["summary"] = "<p>" + new string('a', 5_000_000) + "</p>" }.ToJsonString()));
        Assert.Equal(RemoteDatasetDisplay.MaxDescriptionLength, long_.Description!.Length);
        Assert.EndsWith("…", long_.Description, StringComparison.Ordinal);

        Assert.Equal("unclosed", HtmlPlainText.Of("unclosed<p class=", 100));
        Assert.Null(HtmlPlainText.Of("<p> </p><br/>", 100));
        Assert.Null(RemoteDatasetDisplay.Read(ParseJson("""{"summary":42,"summaryMap":"fr"}""")).Description);
    }
}
