using System.Text.Json;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// The compiled verdict's guards: what it does not know leaves the whole schema to JsonSchema.Net, what it cannot be
/// sure of leaves the record to it, and the schema cache never answers for another schema.
/// </summary>
public sealed class CompiledVerdictTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static string Root(string members) =>
        $$"""{ "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", {{members}} }""";

    [Theory]
    [InlineData("\"unevaluatedProperties\": false")]
    [InlineData("\"patternProperties\": { \"^x\": { \"type\": \"string\" } }")]
    [InlineData("\"propertyNames\": { \"maxLength\": 3 }")]
    [InlineData("\"dependentRequired\": { \"a\": [\"b\"] }")]
    [InlineData("\"properties\": { \"a\": { \"$ref\": \"#/properties/b\" }, \"b\": { \"type\": \"string\" } }")]
    [InlineData("\"properties\": { \"a\": { \"$id\": \"inner\", \"type\": \"string\" } }")]
    [InlineData("\"properties\": { \"a\": { \"$anchor\": \"here\", \"type\": \"string\" } }")]
    [InlineData("\"properties\": { \"a\": { \"$ref\": \"#here\" } }, \"$defs\": { \"h\": { \"$anchor\": \"here\" } }")]
    [InlineData("\"properties\": { \"a\": { \"$ref\": \"#/$defs/loop\" } }, \"$defs\": { \"loop\": { \"items\": { \"$ref\": \"#/$defs/loop\" } } }")]
    [InlineData("\"properties\": { \"a\": { \"format\": \"made-up\" } }")]
    [InlineData("\"properties\": { \"a\": { \"contains\": { \"type\": \"string\" } } }")]
    public void A_schema_with_a_keyword_or_construct_the_compiler_does_not_know_is_left_entirely_to_JsonSchema_Net(string members)
    {
        var schema = RecordSchema.For(Root(members));

        Assert.False(schema.HasCompiledVerdict);
        Assert.Null(schema.CompiledVerdict(Json("""{ "a": "x" }""")));
    }

    [Fact]
    public void The_realistic_offers_schema_and_a_local_reference_are_compiled()
    {
        Assert.True(RecordSchema.For(Schemas.OffersNeeds).HasCompiledVerdict);
        var withRef = RecordSchema.For(Root("""
            "$id": "/schemas/x.v1.json", "properties": { "a": { "$ref": "#/$defs/slug" }, "b": { "$ref": "#/$defs/slug" } },
            "$defs": { "slug": { "type": "string", "pattern": "^[a-z]+$" } }
            """));
        Assert.True(withRef.HasCompiledVerdict);
        Assert.True(withRef.CompiledVerdict(Json("""{ "a": "abc", "b": "de" }""")));
        Assert.False(withRef.CompiledVerdict(Json("""{ "a": "abc", "b": "D" }""")));
    }

    [Fact]
    public void A_property_named_twice_leaves_the_record_to_JsonSchema_Net()
    {
        var schema = RecordSchema.For(Root("""
            "properties": { "a": { "type": "string" } }
            """));

        var twice = Json("""{ "a": "x", "a": 1 }""");
        Assert.Null(schema.CompiledVerdict(twice));
        Assert.Equal(schema.LibraryVerdict(twice), schema.Validate(twice).Count == 0);
    }

    [Fact]
    public void More_references_than_the_checks_budget_leave_the_record_to_JsonSchema_Net()
    {
        var schema = RecordSchema.For(Root("""
            "properties": { "a": { "type": "array", "items": { "$ref": "#/$defs/n" } } }, "$defs": { "n": { "type": "integer" } }
            """));
        var within = Json($$"""{ "a": [{{string.Join(",", Enumerable.Repeat("1", RefCheck.MaxSteps))}}] }""");
        var beyond = Json($$"""{ "a": [{{string.Join(",", Enumerable.Repeat("1", RefCheck.MaxSteps + 1))}}] }""");

        Assert.True(schema.CompiledVerdict(within));
        Assert.Null(schema.CompiledVerdict(beyond));
    }

    [Fact]
    public void A_number_beyond_double_gets_the_library_s_verdict()
    {
        var schema = RecordSchema.For(Root("""
            "properties": { "n": { "type": "number", "maximum": 10 }, "m": { "type": "number", "minimum": -10 } }
            """));

        foreach (var body in new[] { """{ "n": 1e400 }""", """{ "n": -1e400 }""", """{ "m": -1e400 }""", """{ "m": 1e400 }""" })
            Assert.Equal(schema.LibraryVerdict(Json(body)), schema.CompiledVerdict(Json(body)));
    }

    [Fact]
    public void A_pattern_that_runs_out_of_time_leaves_the_record_to_JsonSchema_Net_which_reports_it()
    {
        var schema = RecordSchema.For(Root("""
            "properties": { "s": { "type": "string", "pattern": "^(a+)+$" } }
            """));
        var hostile = Json($$"""{ "s": "{{new string('a', 40)}}!" }""");

        Assert.Null(schema.CompiledVerdict(hostile));
        var error = Assert.Single(schema.Validate(hostile));
        Assert.Equal("$.s", error.Path);
        Assert.Contains("longer than", error.Message);
    }

    [Fact]
    public void A_failing_record_gets_JsonSchema_Nets_listed_errors()
    {
        var schema = RecordSchema.For(Schemas.OffersNeeds);
        var body = Json("""{ "kind": "gift", "title": "ab", "quantity": 1.5, "contact": { "name": "A", "email": "not an address" } }""");

        Assert.False(schema.CompiledVerdict(body));
        Assert.Equal(["$.contact.email", "$.kind", "$.quantity", "$.title"], schema.Validate(body).Select(e => e.Path).Distinct().Order());
    }

    [Fact]
    public void Looking_a_schema_up_again_never_answers_with_the_schema_looked_up_before()
    {
        var loose = Root("""
            "properties": { "a": { "type": "string" } }
            """);
        var strict = Root("""
            "properties": { "a": { "type": "integer" } }
            """);
        var body = Json("""{ "a": "x" }""");

        Assert.Empty(RecordSchema.For(loose).Validate(body));
        Assert.NotEmpty(RecordSchema.For(strict).Validate(body));
        Assert.NotEmpty(RecordSchema.For(new string(strict.AsSpan())).Validate(body));
        Assert.Empty(RecordSchema.For(new string(loose.AsSpan())).Validate(body));
    }

    public static TheoryData<string, int> LengthCases()
    {
        var data = new TheoryData<string, int>();
        string[] texts =
        [
            "abc", "été", "e\u0301te\u0301", "a\r\nb", "\r\n", "\r", "👩‍👩‍👧 ok", "🇧🇪🇳🇱", "한국어", "ǖ̈",
            new string('x', 300), new string('x', 299) + "é", string.Concat(Enumerable.Repeat("e\u0301", 200)), string.Concat(Enumerable.Repeat("😀", 150)),
        ];
        foreach (var text in texts)
            foreach (var bound in new[] { 1, 2, 3, 4, 5, 200, 299, 300, 301 })
                data.Add(text, bound);
        return data;
    }

    // The length check measures a copy of the text in a buffer (stack up to 256 units, rented past); these hold its
    // count of text elements, written raw or escaped, on either side of that size, to JsonSchema.Net's.
    [Theory, MemberData(nameof(LengthCases))]
    public void String_lengths_are_counted_as_JsonSchema_Net_counts_them(string text, int bound)
    {
        var schema = RecordSchema.For(Root($$"""
            "properties": { "atMost": { "maxLength": {{bound}} }, "atLeast": { "minLength": {{bound}} } }
            """));
        Assert.True(schema.HasCompiledVerdict);
        foreach (var encoder in new[] { System.Text.Encodings.Web.JavaScriptEncoder.Default, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        {
            var options = new JsonSerializerOptions { Encoder = encoder };
            foreach (var field in new[] { "atMost", "atLeast" })
            {
                var record = Json(JsonSerializer.Serialize(new Dictionary<string, string> { [field] = text }, options));
                Assert.Equal(schema.LibraryVerdict(record), schema.CompiledVerdict(record));
            }
        }
    }
}
