using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>Dataset schemas that <see cref="DatasetRules.CheckSchema"/> and <see cref="RecordSchema.Compile"/> refuse, and why.</summary>
public class SchemaRulesTests
{
    public static TheoryData<string, string> BadSchemas => new()
    {
        // not JSON
        { """{ "type": "object", """, "schema" },
        { "type: object", "schema" },
        // root is not an object schema
        { """[ { "type": "object" } ]""", "schema" },
        { "true", "schema" },
        { """{ "type": "array", "items": { "type": "string" } }""", "schema.type" },
        { """{ "properties": { "a": { "type": "string" } } }""", "schema.type" },
        { """{ "type": ["object", "null"] }""", "schema.type" },
        // another dialect
        { """{ "$schema": "http://json-schema.org/draft-07/schema#", "type": "object" }""", "schema.$schema" },
        { """{ "$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object" }""", "schema.$schema" },
        { """{ "$schema": 2020, "type": "object" }""", "schema.$schema" },
        // external references
        { """{ "type": "object", "properties": { "a": { "$ref": "https://evil.example/schema.json" } } }""", "schema" },
        { """{ "type": "object", "properties": { "a": { "$ref": "other.json#/x" } } }""", "schema" },
        { """{ "type": "object", "allOf": [ { "$dynamicRef": "http://example.org/s" } ] }""", "schema" },
    };

    [Theory]
    [MemberData(nameof(BadSchemas))]
    public void Bad_schemas_are_refused_with_the_field(string schema, string path)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(schema));
        Assert.Equal(path, Assert.Single(e.Errors).Path);
    }

    public static TheoryData<string, string> InvalidKeywordValues => new()
    {
        { """{ "type": "object", "properties": { "a": { "type": "strin" } } }""", "schema.properties.a.type" },
        { """{ "type": "object", "required": "name" }""", "schema.required" },
        { """{ "type": "object", "properties": { "n": { "type": "integer", "minimum": "one" } } }""", "schema.properties.n.minimum" },
        { """{ "type": "object", "properties": { "s": { "type": "string", "maxLength": -1 } } }""", "schema.properties.s.maxLength" },
        { """{ "type": "object", "properties": { "k": { "enum": "offer" } } }""", "schema.properties.k.enum" },
        { """{ "type": "object", "properties": 5 }""", "schema.properties" },
        { """{ "type": "object", "properties": { "t": { "type": "array", "items": 3 } } }""", "schema.properties.t.items" },
    };

    [Theory]
    [MemberData(nameof(InvalidKeywordValues))]
    public void Invalid_keyword_values_are_refused_where_they_are(string schema, string path)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(schema));
        Assert.Contains(path, e.Errors.Select(x => x.Path));
        Assert.All(e.Errors, x => Assert.StartsWith("schema", x.Path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_schema_is_refused(string? schema)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(schema));
        Assert.Equal("schema", Assert.Single(e.Errors).Path);
    }

    [Fact]
    public void Compile_names_the_given_field()
    {
        var e = Assert.Throws<ValidationException>(() => RecordSchema.Compile("""{ "type": "string" }""", "body.schema"));
        Assert.Equal("body.schema.type", Assert.Single(e.Errors).Path);
    }

    [Theory]
    [InlineData(Schemas.OffersNeeds)]
    [InlineData(Schemas.Rooms)]
    [InlineData(DatasetRules.OpenSchema)]
    [InlineData("""{ "type": "object" }""")]
    [InlineData("""{ "$id": "https://node.example/schemas/offers", "type": "object", "properties": { "c": { "$ref": "#/$defs/c" } }, "$defs": { "c": { "type": "string" } } }""")]
    public void Good_schemas_are_accepted_unchanged(string schema)
    {
        Assert.Equal(schema, DatasetRules.CheckSchema(schema));
    }

    [Fact]
    public void Two_schemas_with_the_same_id_do_not_clash()
    {
        const string a = """{ "$id": "https://node.example/s", "type": "object", "properties": { "x": { "type": "string" } } }""";
        const string b = """{ "$id": "https://node.example/s", "type": "object", "properties": { "x": { "type": "integer" } } }""";
        using var doc = System.Text.Json.JsonDocument.Parse("""{ "x": 1 }""");
        Assert.NotEmpty(RecordSchema.Compile(a, "schema").Validate(doc.RootElement));
        Assert.Empty(RecordSchema.Compile(b, "schema").Validate(doc.RootElement));
    }
}
