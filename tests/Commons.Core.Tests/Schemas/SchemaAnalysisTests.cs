using System.Text;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// Schemas that validation could never finish with (a $ref leading back to itself), or that ask too much of it, are
/// refused when saved, at the place of the fault; schemas that share definitions without a cycle are kept.
/// </summary>
public class SchemaAnalysisTests
{
    private static string Obj(string rest) => "{ \"type\": \"object\", " + rest + " }";

    public static TheoryData<string, string> Recursive => new()
    {
        // the issue's schema: a definition that is its own reference
        { Obj("""  "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } """), "schema['$defs'].a" },
        // the root referring to itself
        { Obj("""  "allOf": [ { "$ref": "#" } ] """), "schema" },
        // mutual, through allOf / anyOf / oneOf / not
        { Obj("""  "$defs": { "a": { "allOf": [ { "$ref": "#/$defs/b" } ] }, "b": { "allOf": [ { "$ref": "#/$defs/a" } ] } }, "properties": { "x": { "$ref": "#/$defs/a" } } """), "schema['$defs'].a" },
        { Obj("""  "$defs": { "a": { "anyOf": [ { "type": "string" }, { "$ref": "#/$defs/b" } ] }, "b": { "oneOf": [ { "$ref": "#/$defs/a" } ] } } """), "schema['$defs'].a" },
        { Obj("""  "$defs": { "a": { "not": { "$ref": "#/$defs/a" } } } """), "schema['$defs'].a" },
        { Obj("""  "$defs": { "a": { "if": { "$ref": "#/$defs/a" }, "then": true } } """), "schema['$defs'].a" },
        // through items and properties: it would stop with the record's depth, but recursive schemas are refused as a whole
        { Obj("""  "$defs": { "node": { "type": "object", "properties": { "children": { "type": "array", "items": { "$ref": "#/$defs/node" } } } } }, "properties": { "tree": { "$ref": "#/$defs/node" } } """), "schema['$defs'].node" },
        { Obj("""  "properties": { "a": { "properties": { "b": { "$ref": "#/properties/a" } } } } """), "schema.properties.a" },
        // an $anchor, and definitions (draft-07 style) in a 2020-12 schema
        { Obj("""  "$defs": { "a": { "$anchor": "here", "allOf": [ { "$ref": "#here" } ] } } """), "schema['$defs'].a" },
        { Obj("""  "definitions": { "a": { "$ref": "#/definitions/a" } }, "properties": { "x": { "$ref": "#/definitions/a" } } """), "schema.definitions.a" },
        // a $dynamicRef to a dynamic anchor that contains it
        { Obj("""  "$dynamicAnchor": "meta", "properties": { "x": { "$dynamicRef": "#meta" } } """), "schema" },
        // a pointer written with percent- and ~-escapes
        { Obj("""  "$defs": { "a/b": { "$ref": "#/%24defs/a~1b" } } """), "schema['$defs']['a/b']" },
        // a cycle inside an embedded resource ($id): its pointers start at that resource
        { Obj("""  "properties": { "x": { "$id": "https://example.org/x", "$defs": { "y": { "$ref": "#/$defs/y" } }, "$ref": "#/$defs/y" } } """), "schema.properties.x['$defs'].y" },
    };

    [Theory]
    [MemberData(nameof(Recursive))]
    public void A_reference_cycle_is_refused_where_it_starts(string schema, string path)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(schema));
        var error = Assert.Single(e.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("recursive schemas are not supported", error.Message);
    }

    public static TheoryData<string> Shared => new()
    {
        // the same definition used from several places, and definitions built on one another
        Obj("""  "$defs": { "name": { "type": "string", "minLength": 1 }, "person": { "type": "object", "properties": { "first": { "$ref": "#/$defs/name" }, "last": { "$ref": "#/$defs/name" } } } }, "properties": { "owner": { "$ref": "#/$defs/person" }, "contact": { "$ref": "#/$defs/person" } } """),
        Obj("""  "$defs": { "a": { "$anchor": "aa", "type": "string" } }, "properties": { "x": { "$ref": "#aa" }, "y": { "allOf": [ { "$ref": "#/$defs/a" } ] } } """),
        // a pointer inside an embedded resource ($id) starts at that resource
        Obj("""  "properties": { "x": { "$id": "https://example.org/x", "$defs": { "y": { "type": "integer" } }, "$ref": "#/$defs/y" } } """),
        // "$ref" as a property name is not a reference
        Obj("""  "properties": { "$ref": { "type": "string" } } """),
    };

    [Theory]
    [MemberData(nameof(Shared))]
    public void Shared_definitions_without_a_cycle_are_kept(string schema) => Assert.Equal(schema, DatasetRules.CheckSchema(schema));

    [Fact]
    public void An_unused_definition_that_refers_to_itself_is_refused_too()
    {
        // Nothing applies it today, but the next edit may; refusing it now keeps the rule simple.
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj("""  "$defs": { "a": { "$ref": "#/$defs/a" } } """)));
        Assert.Equal("schema['$defs'].a", Assert.Single(e.Errors).Path);
    }

    [Theory]
    [InlineData("#/$defs/missing", "schema.properties.x['$ref']")]
    [InlineData("#nowhere", "schema.properties.x['$ref']")]
    [InlineData("#/properties/y", "schema.properties.x['$ref']")]
    public void A_reference_that_leads_nowhere_is_refused(string reference, string path)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj($$"""  "properties": { "x": { "$ref": "{{reference}}" } } """)));
        var error = Assert.Single(e.Errors, x => x.Path == path);
        Assert.Contains("points to nothing", error.Message);
    }

    [Fact]
    public void A_nested_schema_of_another_dialect_is_refused()
    {
        var schema = Obj("""  "properties": { "x": { "$id": "https://example.org/x", "$schema": "http://json-schema.org/draft-07/schema#", "type": "string" } } """);
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(schema));
        Assert.Contains(e.Errors, x => x.Path == "schema.properties.x['$schema']");
    }

    [Fact]
    public void A_schema_that_doubles_at_each_level_is_refused()
    {
        // Twenty definitions, each applying the next twice: 2^20 subschemas once the references are followed.
        var defs = new StringBuilder();
        for (var i = 0; i < 20; i++) defs.Append($$""" "d{{i}}": { "allOf": [ { "$ref": "#/$defs/d{{i + 1}}" }, { "$ref": "#/$defs/d{{i + 1}}" } ] }, """);
        defs.Append(""" "d20": { "type": "string" } """);
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj($$"""  "$defs": { {{defs}} }, "properties": { "x": { "$ref": "#/$defs/d0" } } """)));
        Assert.Contains("grows to more than", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void A_schema_with_too_many_subschemas_is_refused()
    {
        var properties = string.Join(", ", Enumerable.Range(0, SchemaLimits.MaxSubschemas + 1).Select(i => $$""" "p{{i}}": { "type": "string" } """));
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj($$"""  "properties": { {{properties}} } """)));
        Assert.Contains("subschemas", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Deep_nesting_beyond_the_parser_depth_is_refused()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 70; i++) deep.Append("""{ "type": "object", "properties": { "a": """);
        deep.Append("true");
        for (var i = 0; i < 70; i++) deep.Append(" } }");
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(deep.ToString()));
        Assert.Equal("schema", Assert.Single(e.Errors).Path);
    }

    [Theory]
    [InlineData("""  "properties": { "x": { "pattern": "([a-z" } } """, "schema.properties.x.pattern")]
    [InlineData("""  "patternProperties": { "(?<=a)(": { } } """, "schema.patternProperties['(?<=a)(']")]
    public void A_pattern_that_does_not_compile_is_refused_at_its_place(string rest, string path)
    {
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj(rest)));
        Assert.Contains(e.Errors, x => x.Path == path);
    }

    [Fact]
    public void Patterns_are_bounded_in_length_and_number()
    {
        var longPattern = new string('a', SchemaLimits.MaxPatternLength + 1);
        var e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj($$"""  "properties": { "x": { "pattern": "{{longPattern}}" } } """)));
        Assert.Equal("schema.properties.x.pattern", Assert.Single(e.Errors).Path);

        var many = string.Join(", ", Enumerable.Range(0, SchemaLimits.MaxPatterns + 1).Select(i => $$""" "p{{i}}": { "pattern": "^a{{i}}$" } """));
        e = Assert.Throws<ValidationException>(() => DatasetRules.CheckSchema(Obj($$"""  "properties": { {{many}} } """)));
        Assert.Contains("regular expressions", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Check_finds_what_a_stored_schema_would_be_refused_for()
    {
        Assert.Empty(RecordSchema.ProblemsOf(Schemas.OffersNeeds));
        var problems = RecordSchema.ProblemsOf(Obj("""  "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } """));
        Assert.Equal("schema['$defs'].a", Assert.Single(problems).Path);
    }
}
