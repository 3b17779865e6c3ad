using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Integrity;

/// <summary>
/// An item of a JSON backfill page has no @context of its own: it inherits the page's, and a replica checks its proof with
/// the page's context given once instead of a copy of the item with the member added. Every case must end as the check of
/// the item holding that context ends, so a context written at the wrong place, or not compared with the proof's, fails here.
/// </summary>
public sealed class InheritedContextProofTests
{
    private static readonly JsonObject Vector = TestVectors.ReadJsonObject("data-integrity", "fep-8b32.json");
    private static readonly Ed25519SigningKey Key = Multikey.ToSigningKey((string)Vector["key"]!["privateKeyMultibase"]!);
    private static readonly Ed25519VerificationKey PublicKey = Multikey.ToVerificationKey((string)Vector["key"]!["publicKeyMultibase"]!);
    private static readonly JsonArray Context = new("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2");

    private static JsonElement Element(JsonNode? node) => JsonDocument.Parse(node?.ToJsonString() ?? "null").RootElement.Clone();

    /// <summary>
    /// A signed item whose member names sort before and after "@context" (JCS orders by UTF-16 code units); signed with the
    /// context (its proof then carries it) or without one.
    /// </summary>
    private static JsonObject SignedItem(bool proofCarriesContext)
    {
        var unsigned = new JsonObject
        {
            ["!first"] = 1, ["#tag"] = "x", ["@con"] = "before", ["@context2"] = "after", ["Type"] = "Note",
            ["content"] = "é \"quoted\" 🙂", ["é"] = true, ["😀"] = new JsonArray(1, 2.5, "z"),
        };
        if (proofCarriesContext) unsigned["@context"] = Context.DeepClone();
        return EddsaJcs2022Cryptosuite.Sign(unsigned, Key, new DataIntegrityProofOptions("https://a.example/datasets/x#ed25519-key", DateTimeOffset.UnixEpoch));
    }

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var change in new[] { "as signed", "content changed", "member added", "page context replaced", "page context extended", "page context dropped" })
            foreach (var proofContext in new[] { true, false })
                data.Add(change, proofContext);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_item_checked_with_the_page_context_ends_as_the_item_holding_that_context(string change, bool proofCarriesContext)
    {
        var item = SignedItem(proofCarriesContext);
        JsonNode? pageContext = Context.DeepClone();
        switch (change)
        {
            case "as signed": break;
            case "content changed": item["content"] = "é \"quoted\" 🙃"; break;
            case "member added": item["@c"] = 1; break;
            case "page context replaced": pageContext = new JsonArray("https://www.w3.org/ns/activitystreams"); break;
            case "page context extended": pageContext!.AsArray().Add("https://example.org/extra"); break;
            case "page context dropped": pageContext = null; break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }
        var holding = item.DeepClone().AsObject();
        if (pageContext is null) holding.Remove("@context");
        else holding["@context"] = pageContext.DeepClone();
        item.Remove("@context");

        var expected = EddsaJcs2022Cryptosuite.Verify(holding, PublicKey);
        var actual = EddsaJcs2022Cryptosuite.Verify(Element(item), pageContext is null ? default : Element(pageContext), PublicKey);
        Assert.Equal(expected.Failure, actual.Failure);
        Assert.Equal(expected.IsValid, actual.IsValid);
        // A proof made over the item with the context verifies under that context or one extending it; one made without a
        // context only where the page has none.
        var valid = proofCarriesContext ? change is "as signed" or "page context extended" : change is "page context dropped";
        Assert.Equal(valid, actual.IsValid);
    }

    [Fact]
    public void The_context_is_written_in_at_its_sorted_place()
    {
        var item = SignedItem(proofCarriesContext: true);
        var context = Context.DeepClone();
        var holding = item.DeepClone().AsObject();
        holding.Remove("proof");
        var expected = new byte[32];
        JsonCanonicalizer.HashSha256(holding, expected);

        item.Remove("@context");
        var actual = new byte[32];
        JsonCanonicalizer.HashObjectWithContextSha256(Element(item), "proof", Element(context), actual);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));

        // Only for an object without a context of its own: one holding it would end with two.
        Assert.Throws<InvalidOperationException>(() => JsonCanonicalizer.HashObjectWithContextSha256(Element(holding), "proof", Element(context), actual));
    }
}
