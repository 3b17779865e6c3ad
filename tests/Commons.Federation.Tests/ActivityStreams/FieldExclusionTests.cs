using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class FieldExclusionTests
{
    private static string Apply(string json, params string[] paths) =>
        JsonSerializer.Serialize(FieldExclusion.Apply(ParseJson(json), paths));

    private static void AssertSame(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\n  actual {actual}");

    [Fact]
    public void Removes_a_top_level_field()
    {
        AssertSame("""{"name":"Drill"}""", Apply("""{"name":"Drill","email":"x@y.be"}""", "email"));
    }

    [Fact]
    public void Removes_a_nested_field_and_keeps_its_siblings()
    {
        AssertSame("""{"name":"Drill","contact":{"phone":"02"}}""",
            Apply("""{"name":"Drill","contact":{"email":"x@y.be","phone":"02"}}""", "contact.email"));
    }

    [Fact]
    public void Removes_at_every_depth()
    {
        var input = """{"a":{"b":{"c":{"d":{"secret":1,"keep":2}}}},"secret":3}""";
        AssertSame("""{"a":{"b":{"c":{"d":{"keep":2}}}}}""", Apply(input, "a.b.c.d.secret", "secret"));
    }

    [Fact]
    public void Removes_a_whole_subtree()
    {
        AssertSame("""{"name":"x"}""", Apply("""{"name":"x","contact":{"email":"e","address":{"street":"s"}}}""", "contact"));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("contact.missing")]
    [InlineData("missing.deeper.still")]
    [InlineData("name.length")]          // a string in the way
    [InlineData("count.value")]          // a number in the way
    [InlineData("nothing")]
    public void Missing_paths_change_nothing(string path)
    {
        var input = """{"name":"x","count":4,"contact":{"email":"e"},"nothing":null}""";
        var expected = path == "nothing" ? """{"name":"x","count":4,"contact":{"email":"e"}}""" : input;
        AssertSame(expected, Apply(input, path));
    }

    [Fact]
    public void Arrays_of_scalars_are_untouched_unless_named_whole()
    {
        var input = """{"tags":["email","secret"],"ids":[1,2,3]}""";
        AssertSame(input, Apply(input, "tags.email", "ids.0", "tags.secret"));
        AssertSame("""{"ids":[1,2,3]}""", Apply(input, "tags"));
    }

    [Fact]
    public void A_path_through_an_array_applies_to_each_object_in_it()
    {
        var input = """{"contacts":[{"name":"A","email":"a@x"},{"name":"B","email":"b@x"},"loose string",7,[{"email":"nested@x","name":"C"}]]}""";
        AssertSame("""{"contacts":[{"name":"A"},{"name":"B"},"loose string",7,[{"name":"C"}]]}""", Apply(input, "contacts.email"));
    }

    [Fact]
    public void Deep_paths_through_mixed_objects_and_arrays()
    {
        var input = """{"org":{"people":[{"contact":{"email":"a","phone":"1"}},{"contact":{"phone":"2"}},{"contact":null}]}}""";
        AssertSame("""{"org":{"people":[{"contact":{"phone":"1"}},{"contact":{"phone":"2"}},{"contact":null}]}}""",
            Apply(input, "org.people.contact.email"));
    }

    [Fact]
    public void Field_names_are_case_sensitive_and_dotted_names_are_paths()
    {
        var input = """{"Email":"keep","email":"drop","a.b":"kept: a literal key with a dot is not the path a.b","a":{"b":"drop"}}""";
        AssertSame("""{"Email":"keep","a.b":"kept: a literal key with a dot is not the path a.b","a":{}}""", Apply(input, "email", "a.b"));
    }

    [Fact]
    public void Dollar_prefix_is_tolerated_and_empty_paths_ignored()
    {
        AssertSame("""{"b":2}""", Apply("""{"a":1,"b":2}""", "$.a", ""));
    }

    [Fact]
    public void No_paths_returns_the_same_data_and_input_is_never_modified()
    {
        var input = ParseJson("""{"a":{"b":1}}""");
        var before = input.GetRawText();
        AssertSame(before, JsonSerializer.Serialize(FieldExclusion.Apply(input, [])));
        _ = FieldExclusion.Apply(input, ["a.b"]);
        Assert.Equal(before, input.GetRawText());
    }

    [Fact]
    public void Scalars_and_undefined_pass_through()
    {
        Assert.Equal(JsonValueKind.Undefined, FieldExclusion.Apply(default, ["a"]).ValueKind);
        Assert.Equal("5", FieldExclusion.Apply(ParseJson("5"), ["a"]).GetRawText());
    }

    [Fact]
    public void Field_order_is_kept()
    {
        Assert.Equal("""{"z":1,"y":{"b":1},"x":3}""", Apply("""{"z":1,"secret":0,"y":{"a":2,"b":1},"x":3}""", "secret", "y.a"));
    }

    [Fact]
    public void Removed_values_do_not_appear_in_the_bytes()
    {
        var input = """{"name":"Drill","contact":{"email":"very-private@example.org"},"people":[{"email":"also-private@example.org"}]}""";
        var output = Apply(input, "contact.email", "people.email");
        Assert.DoesNotContain("private@example.org", output);
        Assert.DoesNotContain("email", output);
    }

    [Theory]
    [InlineData("contact.email")]
    [InlineData("people.contact.email|people|secret")]
    [InlineData("people.contact|tags|a.b.c")]
    [InlineData("$.secret|missing.deeper|people.contact.phone")]
    public void Written_without_the_paths_as_a_node_tree_would_be(string joined)
    {
        // Apply writes the body once, skipping what the paths remove; ApplyInPlace edits a node tree. Same bytes, same order.
        var input = """{"secret":"s","name":"Dévidoir <\"x\">","people":[{"contact":{"email":"a","phone":"1"},"n":1.50},[{"contact":{"email":"b"}}],"loose",{"contact":null}],"tags":["email"],"contact":{"email":"e","k":[1e3,-0.0]},"a":{"b":{"c":1,"d":2}}}""";
        var paths = joined.Split('|');
        var tree = JsonNode.Parse(input);
        FieldExclusion.ApplyInPlace(tree, paths);
        Assert.Equal(tree!.ToJsonString(), Apply(input, paths));
    }

    [Fact]
    public void One_body_leaves_nothing_in_the_next()
    {
        // The writer and its buffer are kept per thread: a short body after a long one must not carry the long one's tail.
        var longOne = Apply("""{"a":"{{LONG}}","secret":1}""".Replace("{{LONG}}", new string('x', 100_000), StringComparison.Ordinal), "secret");
        Assert.Equal(100_008, longOne.Length);
        Assert.Equal("""{"b":2}""", Apply("""{"b":2,"secret":1}""", "secret"));
        Assert.Equal("""{"c":[3]}""", Apply("""{"c":[3],"secret":{"x":1}}""", "secret"));
    }
}
