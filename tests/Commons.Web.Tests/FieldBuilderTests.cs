using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Node.Web.Datasets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Commons.Web.Tests;

/// <summary>
/// The field builder's labels, help and limits: keys made from labels, labels per language kept as <c>title</c> and
/// <c>x-titles</c>, and builder → schema → builder giving back the same fields (checked on generated field lists).
/// </summary>
public sealed class FieldBuilderTests
{
    [Theory]
    [InlineData("Nom de l'atelier", "nom_de_l_atelier")]
    [InlineData("Nom de l’atelier", "nom_de_l_atelier")]
    [InlineData("public visé", "public_vise")]
    [InlineData("public_visé", "public_vise")]
    [InlineData("  Cœur -- d’Œuvre !! ", "coeur_d_oeuvre")]
    [InlineData("Straße", "strasse")]
    [InlineData("2e étage", "f_2e_etage")]
    [InlineData("Adresse e-mail", "adresse_e_mail")]
    [InlineData("漢字", "")]
    [InlineData("", "")]
    public void A_key_is_the_label_in_lowercase_ascii_with_underscores(string label, string key) => Assert.Equal(key, FieldKeys.Derive(label));

    [Fact]
    public void A_long_label_makes_a_key_of_at_most_64_characters_and_keys_stay_unique()
    {
        var key = FieldKeys.Derive(string.Concat(Enumerable.Repeat("très long mot ", 20)));
        Assert.True(key.Length <= FieldKeys.MaxLength && FieldKeys.IsKey(key), key);
        var taken = new HashSet<string> { "nom", "nom_2" };
        Assert.Equal("nom_3", FieldKeys.Unique("nom", taken));
        Assert.Equal("autre", FieldKeys.Unique("autre", taken));
    }

    private static SchemaFieldRow Labelled(string label, string type = "string") => new() { LabelFr = label, Type = type };

    [Fact]
    public void Rows_with_only_labels_get_keys_from_them_and_the_labels_go_in_title_and_x_titles()
    {
        var (schema, errors) = SchemaFields.ToSchema(
            [Labelled("Nom de l’atelier"), new() { LabelFr = "public visé", LabelNl = "doelpubliek", Description = "Qui vient ?\r\nEnfants, adultes" },
             Labelled("Nom de l’atelier"), new() { Name = "nom_de_l_atelier_2", LabelEn = "Taken" }, new() { Name = "Déjà pris" }]);
        Assert.Empty(errors);
        Assert.Equal(schema, DatasetRules.CheckSchema(schema));
        var properties = JsonNode.Parse(schema!)!["properties"]!.AsObject();
        Assert.Equal(["nom_de_l_atelier", "public_vise", "nom_de_l_atelier_3", "nom_de_l_atelier_2", "deja_pris"], properties.Select(p => p.Key));
        Assert.Equal("public visé", (string)properties["public_vise"]!["title"]!);
        Assert.Equal("doelpubliek", (string)properties["public_vise"]!["x-titles"]!["nl"]!);
        Assert.Equal("Qui vient ?\nEnfants, adultes", (string)properties["public_vise"]!["description"]!);

        var display = RecordDisplay.Of(schema);
        Assert.Equal(("Nom de l’atelier", "doelpubliek", "public visé"), (display.Label("nom_de_l_atelier", "nl"), display.Label("public_vise", "nl"), display.Label("public_vise", "en")));
        // The title, the label a language without its own falls back to, is the first in fr, nl, en order.
        var nl = JsonNode.Parse(SchemaFields.ToSchema([new() { LabelNl = "Zaal", LabelEn = "Room" }]).Schema!)!;
        Assert.Equal(("Zaal", "zaal"), ((string)nl["properties"]!["zaal"]!["title"]!, nl["properties"]!.AsObject().Single().Key));
    }

    [Fact]
    public void Limits_go_to_lengths_for_texts_and_values_for_numbers_and_come_back()
    {
        List<SchemaFieldRow> rows =
        [
            new() { Name = "name", LabelFr = "Nom", Type = "string", Required = true, Min = "2", Max = "80" },
            new() { Name = "notes", Type = "text", Max = "2000", Description = "Libre" },
            new() { Name = "seats", Type = "integer", Min = "0", Max = "500" },
            new() { Name = "price", Type = "number", Min = "-1.5", Max = "99.95" },
        ];
        var (schema, errors) = SchemaFields.ToSchema(rows);
        Assert.Empty(errors);
        Assert.Equal(schema, DatasetRules.CheckSchema(schema));
        var p = JsonNode.Parse(schema!)!["properties"]!;
        Assert.Equal((2, 80, 2000), ((int)p["name"]!["minLength"]!, (int)p["name"]!["maxLength"]!, (int)p["notes"]!["maxLength"]!));
        Assert.Equal((0L, 500L, -1.5m, 99.95m), ((long)p["seats"]!["minimum"]!, (long)p["seats"]!["maximum"]!, (decimal)p["price"]!["minimum"]!, (decimal)p["price"]!["maximum"]!));
        Assert.Equal(Describe(rows), Describe(SchemaFields.FromSchema(schema, "fr")!));
        // Typed the French way, a decimal comma is a decimal.
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new("fr-BE");
            var comma = SchemaFields.ToSchema([new() { Name = "price", Type = "number", Max = "2,5" }]).Schema!;
            Assert.Equal(2.5m, (decimal)JsonNode.Parse(comma)!["properties"]!["price"]!["maximum"]!);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","title":"Nom de l’atelier"}}}""", "fr")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","title":"Nom","x-titles":{"nl":"Naam","fr":"Nom"},"description":"Hulp","maxLength":5}},"required":["a"]}""", "nl")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"number","minimum":0.5}}}""", "en")]
    public void A_schema_with_titles_help_or_limits_goes_back_to_the_builder(string schema, string language)
    {
        var rows = SchemaFields.FromSchema(schema, language);
        Assert.NotNull(rows);
        var again = SchemaFields.ToSchema(rows).Schema!;
        var (was, now) = (RecordDisplay.Of(schema), RecordDisplay.Of(again));
        foreach (var lang in SchemaFieldRow.Languages) Assert.Equal(was.Label("a", lang), now.Label("a", lang));
    }

    [Fact]
    public void A_schema_the_builder_made_goes_back_to_the_builder_in_another_language()
    {
        var schema = SchemaFields.ToSchema([new() { LabelFr = "Salle", LabelNl = "Zaal" }, Labelled("Places", "integer")]).Schema;
        var rows = SchemaFields.FromSchema(schema, "nl")!;
        Assert.Equal([("salle", "Salle", "Zaal"), ("places", "Places", null)], rows.Select(r => (r.Name, r.LabelFr, r.LabelNl)));
    }

    /// <summary>Builder → schema → builder is the identity, for any list of rows the builder can post without an error.</summary>
    [Property(MaxTest = 300, Arbitrary = [typeof(BuilderArbitraries)])]
    public Property Builder_to_schema_to_builder_is_the_identity(BuilderRows generated, MemberLanguage member)
    {
        var (rows, language) = (generated.Rows, member.Code);
        {
            var (schema, errors) = SchemaFields.ToSchema(rows);
            if (errors.Count > 0 || schema is null) return false.Label($"errors: {string.Join(", ", errors)}");
            var back = SchemaFields.FromSchema(schema, language);
            if (back is null) return false.Label($"not read back: {schema}");
            return (Describe(back) == Describe(rows)).Label($"{Describe(rows)}\n≠ {Describe(back)}\n{schema}");
        }
    }

    public sealed record BuilderRows(List<SchemaFieldRow> Rows)
    {
        public override string ToString() => Describe(Rows);
    }

    public sealed record MemberLanguage(string Code);

    public static class BuilderArbitraries
    {
        public static Arbitrary<BuilderRows> Rows() => RowLists().Select(r => new BuilderRows(r)).ToArbitrary();
        public static Arbitrary<MemberLanguage> Languages() => Gen.Elements("fr", "nl", "en").Select(c => new MemberLanguage(c)).ToArbitrary();
    }

    private static string Describe(IEnumerable<SchemaFieldRow> rows) => string.Join("\n", rows.Select(r =>
        $"{r.Name}|{r.LabelFr}|{r.LabelNl}|{r.LabelEn}|{r.Description}|{r.Type}|{r.Required}|{r.Options}|{r.Min}|{r.Max}"));

    private static readonly string[] Words = ["Nom", "atelier", "public", "visé", "prêt", "<b>", "&", "\"x\"", "l’été", "Zaal", "2e", "a.b", "naïve", "Œuvre"];

    private static Gen<string?> Text(int max) =>
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(Words).ListOf().Select(w => w.Take(max).ToList()).Select(w => w.Count == 0 ? null : string.Join(" ", w)));

    private static Gen<SchemaFieldRow> Row(int index) =>
        from type in Gen.Elements(SchemaFields.Types.ToArray())
        from fr in Text(4)
        from nl in Text(3)
        from en in Text(3)
        from description in Text(6)
        from required in Gen.Elements(true, false)
        from options in Gen.Elements("ok", "prêt", "<a&b>", "\"q\"", "été", "x y").NonEmptyListOf().Select(o => o.Distinct().ToList())
        from low in Gen.Choose(0, 50)
        from span in Gen.Choose(0, 1000)
        from hasLow in Gen.Elements(true, false)
        from hasHigh in Gen.Elements(true, false)
        from cents in Gen.Elements(true, false)
        select Build(index, type, fr, nl, en, description, required, options, low, span, hasLow, hasHigh, cents);

    private static SchemaFieldRow Build(int index, string type, string? fr, string? nl, string? en, string? description, bool required,
        List<string> options, int low, int span, bool hasLow, bool hasHigh, bool cents)
    {
        var row = new SchemaFieldRow { Name = $"field_{index}", Type = type, LabelFr = fr, LabelNl = nl, LabelEn = en, Description = description, Required = required };
        if (type == "enum") row.Options = string.Join(", ", options);
        if (type is "string" or "text" or "integer" or "number")
        {
            string Format(int n) => type == "number" && cents ? (n / 4m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sign = type is "integer" or "number" ? -1 : 1;
            if (hasLow) row.Min = Format(sign * low);
            if (hasHigh) row.Max = Format(low + span);
        }
        return row;
    }

    private static Gen<List<SchemaFieldRow>> RowLists() =>
        Gen.Choose(0, 6).SelectMany(n => n == 0 ? Gen.Constant(new List<SchemaFieldRow>()) : Gen.CollectToList(Enumerable.Range(0, n).Select(Row)).Select(r => r.ToList()));
}
