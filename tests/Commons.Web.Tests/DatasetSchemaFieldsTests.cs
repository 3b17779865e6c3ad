using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Schemas;
using Commons.Node.Web.Datasets;

namespace Commons.Web.Tests;

/// <summary>The schema form builder: rows to a JSON Schema the node accepts, and back only when nothing would be lost.</summary>
public sealed class DatasetSchemaFieldsTests
{
    private static SchemaFieldRow Row(string name, string type = "string", bool required = false, string? options = null) =>
        new() { Name = name, Type = type, Required = required, Options = options };

    [Fact]
    public void Every_type_becomes_a_schema_the_node_accepts_and_comes_back_as_the_same_rows()
    {
        List<SchemaFieldRow> rows =
        [
            Row("name", required: true), Row("notes", "text"), Row("seats", "integer", true), Row("price", "number"),
            Row("accessible", "boolean"), Row("opened", "date"), Row("contact", "email"), Row("site", "url"),
            Row("kind", "enum", options: "room, hall ,  room,desk"),
        ];
        var (schema, errors) = SchemaFields.ToSchema(rows);
        Assert.Empty(errors);
        Assert.Equal(schema, DatasetRules.CheckSchema(schema));
        var node = JsonNode.Parse(schema!)!;
        Assert.Equal("date", (string)node["properties"]!["opened"]!["format"]!);
        Assert.Equal("uri", (string)node["properties"]!["site"]!["format"]!);
        Assert.Equal(["room", "hall", "desk"], node["properties"]!["kind"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["name", "seats"], node["required"]!.AsArray().Select(n => (string)n!));

        var back = SchemaFields.FromSchema(schema)!;
        Assert.Equal(rows.Select(r => (r.Name, r.Type, r.Required)), back.Select(r => (r.Name, r.Type, r.Required)));
        Assert.Equal("room, hall, desk", back.Single(r => r.Name == "kind").Options);

        var record = JsonNode.Parse("""{"name":"A","seats":3,"opened":"2026-01-31","contact":"a@b.be","site":"https://x.be","kind":"hall"}""")!;
        Assert.Empty(RecordSchema.For(schema!).Validate(System.Text.Json.JsonDocument.Parse(record.ToJsonString()).RootElement));
        var wrong = System.Text.Json.JsonDocument.Parse("""{"name":"A","seats":3,"opened":"31/01/2026","kind":"garage"}""").RootElement;
        var paths = RecordSchema.For(schema!).Validate(wrong).Select(e => e.Path).ToList();
        Assert.Contains("$.opened", paths);
        Assert.Contains("$.kind", paths);
    }

    [Fact]
    public void Rows_without_a_name_are_left_out_and_no_rows_give_the_open_schema()
    {
        Assert.Equal(DatasetRules.OpenSchema, SchemaFields.ToSchema([Row(""), Row("  ", "integer", true)]).Schema);
        Assert.Equal([], SchemaFields.FromSchema(DatasetRules.OpenSchema)!);
    }

    [Fact]
    public void Bad_rows_are_named_by_row_and_input()
    {
        var (schema, errors) = SchemaFields.ToSchema([Row("name"), Row("!!!"), Row("name", "integer"), Row("kind", "enum", options: " , "), Row("x", "colour"),
            new() { Name = "seats", Type = "integer", Min = "2.5" }, new() { Name = "code", Min = "-1" }, new() { Name = "price", Type = "number", Min = "9", Max = "3" },
            new() { Name = "day", Type = "date", Max = "3" }, new() { Name = "note", Max = "many" }]);
        Assert.Null(schema);
        Assert.Equal(
            [new SchemaRowError(1, "name", "FieldNameInvalid"), new SchemaRowError(2, "name", "FieldNameDuplicate"),
             new SchemaRowError(3, "options", "FieldOptionsMissing"), new SchemaRowError(4, "type", "FieldTypeUnknown"),
             new SchemaRowError(5, "min", "FieldWholeLimitInvalid"), new SchemaRowError(6, "min", "FieldLengthInvalid"),
             new SchemaRowError(7, "max", "FieldLimitOrder"), new SchemaRowError(8, "max", "FieldLimitNotForType"),
             new SchemaRowError(9, "max", "FieldLengthInvalid")],
            errors);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","pattern":"^x"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"boolean","maxLength":5}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","x-titles":{"de":"A"}}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","x-titles":"A"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","title":"Other","x-titles":{"fr":"A"}}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","description":7}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","format":"time"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","enum":["x, y","z"]}}}""")]
    [InlineData("""{"type":"object","properties":{"a b":{"type":"string"}}}""")]
    [InlineData("""{"type":"object","required":["missing"]}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}""")]
    [InlineData("""not json""")]
    public void A_schema_richer_than_the_builder_stays_in_the_json_view(string schema) =>
        Assert.Null(SchemaFields.FromSchema(schema));

    [Fact]
    public void A_simple_schema_without_the_dialect_line_opens_in_the_builder()
    {
        var rows = SchemaFields.FromSchema("""{ "required": ["name"], "type": "object", "properties": { "name": { "type": "string" }, "floor": { "type": "integer" } } }""")!;
        Assert.Equal([("name", "string", true), ("floor", "integer", false)], rows.Select(r => (r.Name!, r.Type!, r.Required)));
    }
}
