using System.Globalization;
using System.Text.Json;
using Commons.Node.Web.Display;

namespace Commons.Node.Tests.Web;

/// <summary>A record's values as a table cell shows them: readable in the member's language, never JSON braces, bounded.</summary>
public sealed class RecordValuesTests
{
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr");
    private static readonly CultureInfo Nl = CultureInfo.GetCultureInfo("nl");

    private static string Cell(string data, string field, CultureInfo culture) =>
        RecordValues.Of(JsonDocument.Parse(data).RootElement, field, culture, "oui", "non");

    [Theory]
    [InlineData("""{"a":"Salle « Aurore »"}""", "Salle « Aurore »")]
    [InlineData("""{"a":12}""", "12")]
    [InlineData("""{"a":12.5}""", "12,5")]
    [InlineData("""{"a":true}""", "oui")]
    [InlineData("""{"a":false}""", "non")]
    [InlineData("""{"a":null}""", "")]
    [InlineData("""{"b":1}""", "")]
    [InlineData("""{"a":"2024-09-01"}""", "01/09/2024")]
    [InlineData("""{"a":"2024-13-01"}""", "2024-13-01")]
    [InlineData("""{"a":["vélo","réparation",null,3]}""", "vélo, réparation, 3")]
    [InlineData("""{"a":{"street":"Rue Haute 1","city":"Bruxelles","box":null}}""", "street: Rue Haute 1; city: Bruxelles")]
    [InlineData("""{"a":[{"n":1},{"n":2}]}""", "n: 1, n: 2")]
    [InlineData("""{"a":{"x":{"y":{"z":{"deep":1}}}}}""", "x: y: z: …")]
    [InlineData("""{"a":[]}""", "")]
    public void Values_read_as_text_in_french(string data, string expected) => Assert.Equal(expected, Cell(data, "a", Fr));

    [Fact]
    public void Numbers_and_dates_follow_the_language()
    {
        Assert.Equal("12,5", Cell("""{"a":12.5}""", "a", Nl));
        Assert.Equal("01-09-2024", Cell("""{"a":"2024-09-01"}""", "a", Nl));
        Assert.Equal("12.5", Cell("""{"a":12.5}""", "a", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Long_values_are_cut_with_an_ellipsis_and_a_data_that_is_not_an_object_shows_nothing()
    {
        var shown = Cell($$"""{"a":"{{new string('x', 500)}}"}""", "a", Fr);
        Assert.Equal(RecordValues.MaxShown + 1, shown.Length);
        Assert.EndsWith("…", shown);
        var many = Cell($$"""{"a":[{{string.Join(",", Enumerable.Range(0, 10_000))}}]}""", "a", Fr);
        Assert.True(many.Length <= RecordValues.MaxShown + 1);
        Assert.Equal("", Cell("""["a"]""", "a", Fr));
    }

    [Theory]
    [InlineData("01JCZ3Q8W5X4F2QZ9KPT7M3A6B", "…7M3A6B")]
    [InlineData("r1", "r1")]
    [InlineData("12345678", "12345678")]
    public void A_short_id_is_the_end_of_the_id(string id, string expected) => Assert.Equal(expected, RecordValues.ShortId(id));
}
