using System.Text.Json;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// Validation stays bounded whatever schema is stored: one saved before the save-time checks (a $ref cycle) fails a
/// record with a clear error instead of overflowing the stack, and a catastrophic regular expression stops at its time
/// limit with an error naming the pattern.
/// </summary>
public class BoundedValidationTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{ "type": "object", "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""")]
    [InlineData("""{ "type": "object", "$defs": { "a": { "allOf": [ { "$ref": "#/$defs/b" } ] }, "b": { "anyOf": [ { "$ref": "#/$defs/a" } ] } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""")]
    [InlineData("""{ "type": "object", "$defs": { "d": { "$dynamicAnchor": "m", "oneOf": [ { "$dynamicRef": "#m" } ] } }, "properties": { "x": { "$ref": "#/$defs/d" } } }""")]
    public void A_stored_recursive_schema_fails_the_record_instead_of_the_process(string storedSchema)
    {
        var schema = RecordSchema.For(storedSchema);
        var error = Assert.Single(schema.Validate(Json("""{ "x": 1 }""")));
        Assert.Contains("without end", error.Message);
        Assert.Empty(schema.Validate(Json("""{ "y": 1 }""")));
    }

    [Fact]
    public void A_stored_schema_whose_references_multiply_stops_at_the_step_budget()
    {
        // No cycle, but each of 24 definitions applies the next twice: 2^24 references for one value.
        var defs = string.Concat(Enumerable.Range(0, 24).Select(i => $$""" "d{{i}}": { "allOf": [ { "$ref": "#/$defs/d{{i + 1}}" }, { "$ref": "#/$defs/d{{i + 1}}" } ] }, """));
        var schema = RecordSchema.For($$"""{ "type": "object", "$defs": { {{defs}} "d24": { "type": "string" } }, "properties": { "x": { "$ref": "#/$defs/d0" } } }""");
        var error = Assert.Single(schema.Validate(Json("""{ "x": "a" }""")));
        Assert.Equal("$.x", error.Path);
        Assert.Contains($"more than {SchemaLimits.MaxRefSteps} references", error.Message);
    }

    [Fact]
    public void A_small_stack_stops_recursion_before_it_overflows()
    {
        var schema = RecordSchema.For("""{ "type": "object", "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""");
        IReadOnlyList<Commons.Core.Errors.FieldError>? errors = null;
        var thread = new Thread(() => errors = schema.Validate(Json("""{ "x": 1 }""")), maxStackSize: 192 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Contains("without end", Assert.Single(errors!).Message);
    }

    [Fact]
    public void A_catastrophic_pattern_stops_at_its_time_limit_with_an_error_naming_it()
    {
        // Accepted when saved: whether a pattern backtracks badly depends on the value.
        var schema = RecordSchema.Compile("""{ "type": "object", "properties": { "x": { "type": "string", "pattern": "^(a+)+$" } } }""", "schema");
        Assert.Empty(schema.Validate(Json("""{ "x": "aaaa" }""")));
        var error = Assert.Single(schema.Validate(Json($$"""{ "x": "{{new string('a', 40)}}!" }""")));
        Assert.Equal("$.x", error.Path);
        Assert.Contains("^(a+)+$", error.Message);
        Assert.Contains("(at schema.properties.x.pattern)", error.Message);
        Assert.Contains("took longer than", error.Message);
    }

    [Fact]
    public void A_catastrophic_property_name_pattern_stops_at_its_time_limit()
    {
        var schema = RecordSchema.Compile("""{ "type": "object", "patternProperties": { "^(a+)+$": { "type": "integer" } } }""", "schema");
        Assert.Single(schema.Validate(Json("""{ "aaa": "not an integer" }""")));
        var error = Assert.Single(schema.Validate(Json($$"""{ "{{new string('a', 40)}}!": 1 }""")));
        Assert.Equal("$", error.Path);
        Assert.Contains("took longer than", error.Message);
        Assert.Contains("(at schema.patternProperties['^(a+)+$'])", error.Message);
    }

    [Fact]
    public void A_nested_dialect_does_not_escape_the_time_limit()
    {
        // A stored schema may name its dialect again in an embedded resource; it must still be validated with the limits.
        var schema = RecordSchema.For("""{ "type": "object", "properties": { "x": { "$id": "https://example.org/x", "$schema": "https://json-schema.org/draft/2020-12/schema", "pattern": "^(a+)+$" } } }""");
        Assert.Contains("took longer than", Assert.Single(schema.Validate(Json($$"""{ "x": "{{new string('a', 40)}}!" }"""))).Message);
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("ABC", false)]
    [InlineData("ab1", false)]
    public void Ordinary_patterns_still_match(string value, bool valid)
    {
        var schema = RecordSchema.Compile("""{ "type": "object", "properties": { "x": { "pattern": "^[a-z]+$" } }, "patternProperties": { "^n_": { "type": "number" } } }""", "schema");
        Assert.Equal(valid, schema.Validate(Json($$"""{ "x": "{{value}}", "n_1": 2 }""")).Count == 0);
        Assert.Single(schema.Validate(Json("""{ "n_1": "two" }""")));
    }
}
