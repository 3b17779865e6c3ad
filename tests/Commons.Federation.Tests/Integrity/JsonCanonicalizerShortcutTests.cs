using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Integrity;

/// <summary>
/// The canonicaliser's shortcuts give the canonical form or refuse, never something else: parsed strings and member names
/// copied as they are only when that is their canonical form, integers written without a round trip through text, and
/// contexts built as nodes remembered by the text they write out. (One class: the tests that need room to remember run
/// one after another.)
/// </summary>
public sealed class JsonCanonicalizerShortcutTests
{
    [Theory]
    [InlineData(new byte[] { 0xff })]              // not UTF-8
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]  // a lone surrogate, encoded
    [InlineData(new byte[] { 0xc3 })]              // cut short
    public void A_parsed_string_that_is_not_utf8_is_refused_not_copied(byte[] content)
    {
        // The parser lets such bytes through; canonicalising them as they are would sign or check text no one can read.
        var json = new List<byte>("{\"a\":\""u8.ToArray());
        json.AddRange(content);
        json.AddRange("\"}"u8.ToArray());
        using var document = JsonDocument.Parse(json.ToArray());

        Assert.Throws<InvalidOperationException>(() => JsonCanonicalizer.CanonicalizeToUtf8(document.RootElement));
    }

    [Fact]
    public void Parsed_strings_and_names_come_out_as_their_canonical_form_whether_escaped_or_not()
    {
        // Raw UTF-8, escapes of characters that need none, and of ones that must stay escaped; names in an order where
        // UTF-8 bytes and UTF-16 code units disagree (U+E000 against U+1F600).
        var text = "{\"\uE000\":1,\"😀\":2,\"\\u0062\":\"\\u00e9\\/x\",\"a\":\"é€😀\u2028\",\"c\":\"\\\"\\\\\\n\\u001f\"}";
        using var document = JsonDocument.Parse(text);
        var expected = "{\"a\":\"é€😀\u2028\",\"b\":\"é/x\",\"c\":\"\\\"\\\\\\n\\u001f\",\"😀\":2,\"\uE000\":1}";

        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.CanonicalizeToUtf8(document.RootElement)));
        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonNode.Parse(text)));
        // A name repeated under an escape is still a repeated name.
        using var repeated = JsonDocument.Parse("{\"a\":1,\"\\u0061\":2}");
        Assert.Throws<FormatException>(() => JsonCanonicalizer.CanonicalizeToUtf8(repeated.RootElement));
    }

    [Fact]
    public void Integers_of_a_tree_canonicalise_as_their_text_does_beyond_two_to_the_53()
    {
        foreach (var value in new[] { 0L, -1L, 1L << 53, (1L << 53) + 1, (1L << 53) + 3, long.MaxValue, long.MinValue, 123456789012345678L })
        {
            var node = new JsonObject { ["long"] = value, ["int"] = (int)(value % int.MaxValue), ["double"] = value / 3.0 };
            Assert.Equal(JsonCanonicalizer.Canonicalize(node.ToJsonString()), JsonCanonicalizer.Canonicalize(node));
        }
    }

    [Fact]
    public void Contexts_built_as_nodes_are_remembered_by_their_text_never_standing_in_for_another()
    {
        // More contexts than are remembered, each twice, differing by one character, one number, or only in member order.
        for (var round = 0; round < 2; round++)
        {
            CanonicalContexts.Forget();
            for (var i = 0; i < 12; i++)
            {
                var context = $$$"""["https://www.w3.org/ns/activitystreams",{"b":"x{{{i % 10}}}","n":{{{i}}},"a":{"@id":"sec:{{{i}}}"}}]""";
                var reordered = $$$"""["https://www.w3.org/ns/activitystreams",{"a":{"@id":"sec:{{{i}}}"},"n":{{{i}}},"b":"x{{{i % 10}}}"}]""";
                var expected = $$$"""{"@context":["https://www.w3.org/ns/activitystreams",{"a":{"@id":"sec:{{{i}}}"},"b":"x{{{i % 10}}}","n":{{{i}}}}],"z":1}""";
                foreach (var text in new[] { context, reordered })
                {
                    var document = new JsonObject { ["z"] = 1, ["@context"] = JsonNode.Parse(text) };
                    Assert.Equal(expected, JsonCanonicalizer.Canonicalize(document));
                }
            }
        }
    }

    [Fact]
    public void A_context_with_scoped_contexts_in_it_is_remembered_under_its_own_text()
    {
        // The inner contexts are canonicalised (and their text written out) while the outer one is: each must be kept
        // under its own text, never under a text the inner ones wrote over.
        CanonicalContexts.Forget();
        var context = JsonNode.Parse("""
            ["https://www.w3.org/ns/activitystreams", {"t": {"@id": "ex:t", "@context": {"u": "ex:u"}}, "v": {"@id": "ex:v", "@context": ["ex:w"]}}]
            """);
        var document = new JsonObject { ["@context"] = context, ["a"] = 1 };
        var expected = """{"@context":["https://www.w3.org/ns/activitystreams",{"t":{"@context":{"u":"ex:u"},"@id":"ex:t"},"v":{"@context":["ex:w"],"@id":"ex:v"}}],"a":1}""";

        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(document));
        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(document));
        Assert.NotEmpty(CanonicalContexts.Remembered);
        foreach (var (raw, canonical) in CanonicalContexts.Remembered)
            Assert.Equal(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetString(raw)), Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void A_remembered_context_changed_afterwards_comes_out_changed()
    {
        var context = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["k"] = "mutable-context-1" });
        var document = new JsonObject { ["@context"] = context };
        Assert.Equal("""{"@context":["https://www.w3.org/ns/activitystreams",{"k":"mutable-context-1"}]}""", JsonCanonicalizer.Canonicalize(document));

        context[1]!["k"] = "mutable-context-2";
        Assert.Equal("""{"@context":["https://www.w3.org/ns/activitystreams",{"k":"mutable-context-2"}]}""", JsonCanonicalizer.Canonicalize(document));
    }
}
