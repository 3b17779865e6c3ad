using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>spec §5.1: the schema a dataset actor publishes names no excluded field, wherever the schema defines it.</summary>
public sealed class SchemaExclusionTests
{
    private const string Schema = """
        {"type":"object","required":["name","healthNotes","contact"],
         "properties":{
          "name":{"type":"string"},
          "healthNotes":{"type":"string","title":"Health notes"},
          "contact":{"type":"object","required":["email","phone"],"properties":{"email":{"type":"string"},"phone":{"type":"string"}}},
          "people":{"type":"array","items":{"type":"object","properties":{"email":{"type":"string"},"role":{"type":"string"}}}}},
         "allOf":[{"if":{"properties":{"name":{"const":"x"}}},"then":{"properties":{"healthNotes":{"minLength":3}}}}],
         "$defs":{"note":{"type":"object","properties":{"healthNotes":{"type":"string"}}}}}
        """;

    private static JsonObject Published(params string[] excluded) =>
        ActorDocuments.DatasetActor(Offers(SharingPolicy.Public, excluded) with { Schema = Schema }, Uris, Keys)[ActivityStreamsContext.Schema]!.AsObject();

    [Fact]
    public void An_excluded_field_leaves_properties_required_and_every_branch_that_defines_it()
    {
        var schema = Published("healthNotes", "contact.email", "people.email");
        var text = schema.ToJsonString();
        Assert.DoesNotContain("Health notes", text);
        Assert.Equal(["name", "contact"], schema["required"]!.AsArray().Select(r => (string)r!));
        Assert.False(schema["properties"]!.AsObject().ContainsKey("healthNotes"));
        Assert.Equal(["phone"], schema["properties"]!["contact"]!["required"]!.AsArray().Select(r => (string)r!));
        Assert.False(schema["properties"]!["contact"]!["properties"]!.AsObject().ContainsKey("email"));
        Assert.Equal(["role"], schema["properties"]!["people"]!["items"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.False(schema["allOf"]![0]!["then"]!["properties"]!.AsObject().ContainsKey("healthNotes"));
        // A shape under $defs is not a record's field.
        Assert.True(schema["$defs"]!["note"]!["properties"]!.AsObject().ContainsKey("healthNotes"));
    }

    [Fact]
    public void Without_exclusions_the_schema_is_published_as_written_and_unknown_paths_change_nothing()
    {
        var asWritten = JsonNode.Parse(Schema)!.ToJsonString();
        Assert.Equal(asWritten, Published().ToJsonString());
        Assert.Equal(asWritten, Published("missing", "name.inner", "contact.email.deeper").ToJsonString());
    }
}
