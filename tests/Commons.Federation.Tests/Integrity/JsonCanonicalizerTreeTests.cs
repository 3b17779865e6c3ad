using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Integrity;

/// <summary>
/// The canonical form is written straight from a <see cref="JsonNode"/> tree (values held as CLR strings, numbers,
/// dates) and from a <see cref="JsonElement"/>: both must give the bytes of the document's text canonicalised.
/// </summary>
public sealed class JsonCanonicalizerTreeTests
{
    [Fact]
    public void A_tree_of_clr_values_canonicalises_as_its_text_does()
    {
        var node = new JsonObject
        {
            ["zeta"] = "last", ["alpha"] = 1L, ["int"] = 42, ["decimal"] = 12.50m, ["double"] = 1e21, ["small"] = 0.000001,
            ["date"] = new DateTimeOffset(2026, 12, 7, 13, 0, 0, TimeSpan.Zero), ["guid"] = Guid.Empty, ["t"] = true, ["f"] = false, ["n"] = null,
            ["escapes"] = "\"\\\b\f\n\r\t\u0001\u001f/<>&'é€😀", ["\u20ac"] = "euro key", ["\ud83d\ude00"] = "emoji key", ["a"] = "ascii key",
            ["nested"] = new JsonArray(1, "two", new JsonObject { ["b"] = 2, ["a"] = new JsonArray() }, null, 3.5),
        };
        var text = node.ToJsonString();
        var expected = JsonCanonicalizer.Canonicalize(text);

        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(node));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), JsonCanonicalizer.CanonicalizeToUtf8(node));
        using var document = JsonDocument.Parse(text);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), JsonCanonicalizer.CanonicalizeToUtf8(document.RootElement));
        Assert.StartsWith("{\"a\":\"ascii key\",\"alpha\":1,\"date\":\"2026-12-07T13:00:00+00:00\",\"decimal\":12.5,\"double\":1e+21,", expected);
        Assert.Contains("\"escapes\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/<>&'é€😀\"", expected);
        Assert.EndsWith(",\"€\":\"euro key\",\"😀\":\"emoji key\"}", expected);
    }

    [Fact]
    public void Random_documents_canonicalise_alike_from_the_tree_the_element_and_the_text()
    {
        var random = new Random(17);
        for (var i = 0; i < 500; i++)
        {
            var node = RandomValue(random, 0);
            var text = node?.ToJsonString() ?? "null";
            using var document = JsonDocument.Parse(text);
            var fromElement = JsonCanonicalizer.CanonicalizeToUtf8(document.RootElement);
            Assert.Equal(fromElement, JsonCanonicalizer.CanonicalizeToUtf8(node));
            Assert.Equal(fromElement, JsonCanonicalizer.CanonicalizeToUtf8(JsonNode.Parse(text)));
        }
    }

    [Fact]
    public void Skipping_and_replacing_members_of_an_element_equals_canonicalising_the_edited_copy()
    {
        using var document = JsonDocument.Parse("""{"b":1,"proof":{"x":1},"@context":["a","b"],"a":[2,1]}""");
        using var replacement = JsonDocument.Parse("""["a"]""");
        var edited = JsonNode.Parse("""{"b":1,"@context":["a"],"a":[2,1]}""");

        Assert.Equal(JsonCanonicalizer.CanonicalizeToUtf8(edited),
            JsonCanonicalizer.CanonicalizeObjectToUtf8(document.RootElement, skip: "proof", replace: "@context", replacement: replacement.RootElement));
        Assert.Throws<FormatException>(() => JsonCanonicalizer.CanonicalizeObjectToUtf8(JsonDocument.Parse("""{"a":1,"a":2}""").RootElement, skip: "proof"));
    }

    [Fact]
    public void Remembered_contexts_never_stand_in_for_another_context_of_the_same_length()
    {
        // The canonical form of an @context is remembered by its exact text: contexts that differ by one character (or only
        // in member order, or past the remembered few) must each come out as their own canonical form.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 12; i++)
            {
                var context = $$$"""["https://www.w3.org/ns/activitystreams",{"b":"x{{{i % 10}}}","a":{"@id":"sec:{{{i}}}"}}]""";
                var reordered = $$$"""["https://www.w3.org/ns/activitystreams",{"a":{"@id":"sec:{{{i}}}"},"b":"x{{{i % 10}}}"}]""";
                var expected = $$$"""{"@context":["https://www.w3.org/ns/activitystreams",{"a":{"@id":"sec:{{{i}}}"},"b":"x{{{i % 10}}}"}],"z":1}""";
                foreach (var text in new[] { context, reordered })
                {
                    using var document = JsonDocument.Parse($$$"""{"z":1,"@context":{{{text}}}}""");
                    Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.CanonicalizeToUtf8(document.RootElement)));
                    Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.CanonicalizeObjectToUtf8(document.RootElement, skip: "proof")));
                }
            }
        }
    }

    private static JsonNode? RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 3 ? 5 : 7))
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return random.Next(3) switch { 0 => (JsonNode)random.NextInt64(-1L << 53, 1L << 53), 1 => random.NextDouble() * Math.Pow(10, random.Next(-30, 30)), _ => (decimal)random.Next() / 100 };
            case 3:
            case 4: return RandomString(random);
            case 5:
                var array = new JsonArray();
                for (var i = random.Next(5); i > 0; i--) array.Add(RandomValue(random, depth + 1));
                return array;
            default:
                var obj = new JsonObject();
                for (var i = random.Next(6); i > 0; i--) obj[RandomString(random)] = RandomValue(random, depth + 1);
                return obj;
        }
    }

    private static string RandomString(Random random)
    {
        const string alphabet = "abcXYZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007fé€\u2028\uffff";
        var builder = new StringBuilder();
        for (var i = random.Next(8); i > 0; i--)
        {
            if (random.Next(10) == 0) builder.Append("😀");
            else builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return builder.ToString();
    }
}
