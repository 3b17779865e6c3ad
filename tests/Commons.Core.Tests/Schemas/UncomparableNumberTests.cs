using System.Text.Json;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// A number beyond decimal's range (2^96, 1e400) in a place where the schema library compares numbers as decimal
/// (enum, const, uniqueItems, contains) is a field error naming the number, not an exception out of validation.
/// </summary>
public class UncomparableNumberTests
{
    private const string Big = "79228162514264337593543950336";

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{ "a": { "enum": [1, 2] } }""", "{ \"a\": " + Big + " }", "$.a")]
    [InlineData("""{ "a": { "const": 1 } }""", "{ \"a\": " + Big + " }", "$.a")]
    [InlineData("""{ "a": { "type": "array", "uniqueItems": true } }""", "{ \"a\": [1, " + Big + "] }", "$.a[1]")]
    [InlineData("""{ "a": { "type": "array", "uniqueItems": true } }""", """{ "a": [1e400, 2] }""", "$.a[0]")]
    [InlineData("""{ "a": { "contains": { "const": 2 } } }""", "{ \"a\": [" + Big + "] }", "$.a[0]")]
    [InlineData("""{ "a": { "const": { "x": 1 } } }""", "{ \"a\": { \"x\": " + Big + " } }", "$.a.x")]
    [InlineData("""{ "b c": { "enum": [1, 2] } }""", "{ \"a\": 1, \"b c\": " + Big + " }", "$['b c']")]
    public void A_number_the_library_cannot_compare_is_a_field_error_at_that_number(string properties, string body, string path)
    {
        var schema = RecordSchema.For($$"""{ "type": "object", "properties": {{properties}} }""");
        var error = Assert.Single(schema.Validate(Json(body)));
        Assert.Equal(path, error.Path);
        Assert.Equal(UncomparableNumbers.Message, error.Message);
        Assert.Throws<Commons.Core.Errors.ValidationException>(() => schema.EnsureValid(Json(body)));
    }

    [Fact]
    public void Numbers_within_range_are_compared_as_before()
    {
        var schema = RecordSchema.For("""{ "type": "object", "properties": { "a": { "enum": [1, 2] }, "u": { "type": "array", "uniqueItems": true } } }""");
        Assert.Empty(schema.Validate(Json("""{ "a": 2, "u": [1, 2.5, 79228162514264337593543950335] }""")));
        Assert.Equal("$.u", Assert.Single(schema.Validate(Json("""{ "u": [1, 1.0] }"""))).Path);
        Assert.Equal("$.a", Assert.Single(schema.Validate(Json("""{ "a": 3 }"""))).Path);
    }

    [Fact]
    public void A_big_number_where_nothing_compares_it_is_left_to_the_schema()
    {
        var schema = RecordSchema.For("""{ "type": "object", "properties": { "a": { "type": "integer" }, "e": { "enum": [1] } } }""");
        Assert.Empty(schema.Validate(Json("{ \"a\": " + Big + ", \"e\": 1 }")));
    }
}
