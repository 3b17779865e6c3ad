using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Integrity;

/// <summary>
/// A replica checks proofs on the parsed <see cref="JsonElement"/> (no mutable copy; the proof member skipped and the
/// proof's @context put in place while canonicalising). Every case must end as the <c>JsonObject</c> path ends it, so a
/// change that skipped or replaced the wrong member would let a tampered document through on one path only.
/// </summary>
public sealed class ElementProofTests
{
    private static readonly JsonObject Vector = TestVectors.ReadJsonObject("data-integrity", "fep-8b32.json");
    private static readonly Ed25519SigningKey Key = Multikey.ToSigningKey((string)Vector["key"]!["privateKeyMultibase"]!);
    private static readonly Ed25519VerificationKey PublicKey = Multikey.ToVerificationKey((string)Vector["key"]!["publicKeyMultibase"]!);

    private static JsonObject Signed => Vector["signed"]!.DeepClone().AsObject();

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    public static TheoryData<string> Cases => new()
    {
        "as signed", "content changed", "number changed", "member added", "member removed", "members reordered",
        "proof created changed", "proof member added", "proof @context changed", "document @context replaced",
        "document @context extended", "document @context removed", "proof removed", "proof an array", "proofValue malformed",
        "cryptosuite changed", "proofPurpose removed", "member named proofValue added to the document",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_element_check_ends_as_the_object_check_does(string change)
    {
        var document = Mutated(change);
        var expected = EddsaJcs2022Cryptosuite.Verify(document.DeepClone().AsObject(), PublicKey);
        var actual = EddsaJcs2022Cryptosuite.Verify(Element(document), PublicKey);
        Assert.Equal(expected.Failure, actual.Failure);
        Assert.Equal(expected.IsValid, actual.IsValid);
        Assert.Equal(change is "as signed" or "members reordered" or "document @context extended", actual.IsValid);
    }

    [Fact]
    public void A_proof_with_its_own_context_verifies_on_an_element_whose_context_extends_it_and_fails_when_the_document_changes()
    {
        var unsigned = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"),
            ["type"] = "Note", ["content"] = "é \u0001 \"quoted\" 🙂", ["n"] = 12345678901234, ["x"] = 0.1,
        };
        var signed = EddsaJcs2022Cryptosuite.Sign(unsigned, Key, new DataIntegrityProofOptions("https://server.example/users/alice#ed25519-key", DateTimeOffset.UnixEpoch));
        Assert.True(EddsaJcs2022Cryptosuite.Verify(Element(signed), PublicKey).IsValid);

        signed["@context"]!.AsArray().Add("https://example.org/extra");
        Assert.True(EddsaJcs2022Cryptosuite.Verify(Element(signed), PublicKey).IsValid);

        signed["content"] = "é \u0001 \"quoted\" 🙃";
        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(Element(signed), PublicKey).Failure);
    }

    private static JsonObject Mutated(string change)
    {
        var signed = Signed;
        var proof = signed["proof"]!.AsObject();
        switch (change)
        {
            case "as signed": break;
            case "content changed": signed["object"]!["content"] = "Goodbye world"; break;
            case "number changed": signed["object"]!["location"]!["latitude"] = 25.273963; break;
            case "member added": signed["extra"] = true; break;
            case "member removed": signed.Remove("object"); break;
            case "members reordered":
                var reordered = new JsonObject();
                foreach (var (name, value) in signed.Reverse().ToList()) { signed.Remove(name); reordered[name] = value; }
                return reordered;
            case "proof created changed": proof["created"] = "2023-02-24T23:36:39Z"; break;
            case "proof member added": proof["nonce"] = "1"; break;
            case "proof @context changed": proof["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams"); break;
            case "document @context replaced": signed["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams"); break;
            case "document @context extended": signed["@context"] = Extended(signed["@context"]!); break;
            case "document @context removed": signed.Remove("@context"); break;
            case "proof removed": signed.Remove("proof"); break;
            case "proof an array": signed["proof"] = new JsonArray(proof.DeepClone()); break;
            case "proofValue malformed": proof["proofValue"] = "z0OIl"; break;
            case "cryptosuite changed": proof["cryptosuite"] = "eddsa-rdfc-2022"; break;
            case "proofPurpose removed": proof.Remove("proofPurpose"); break;
            case "member named proofValue added to the document": signed["proofValue"] = proof["proofValue"]!.DeepClone(); break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }
        return signed;
    }

    private static JsonArray Extended(JsonNode context)
    {
        var list = context is JsonArray array ? array.Select(n => n?.DeepClone()).ToList() : [context.DeepClone()];
        list.Add(JsonValue.Create("https://example.org/extra"));
        return new JsonArray([.. list]);
    }
}
