using System.Text.Json.Nodes;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Integrity;

public sealed class ObjectIntegrityProofTests
{
    private static readonly JsonObject Vector = TestVectors.ReadJsonObject("data-integrity", "fep-8b32.json");
    private static readonly Ed25519SigningKey Key = Multikey.ToSigningKey((string)Vector["key"]!["privateKeyMultibase"]!);
    private static readonly Ed25519VerificationKey PublicKey = Multikey.ToVerificationKey((string)Vector["key"]!["publicKeyMultibase"]!);

    private static JsonObject Unsigned => Vector["unsigned"]!.DeepClone().AsObject();

    private static JsonObject Signed => Vector["signed"]!.DeepClone().AsObject();

    private static DataIntegrityProofOptions VectorOptions
    {
        get
        {
            var proof = Vector["signed"]!["proof"]!;
            return new DataIntegrityProofOptions(
                (string)proof["verificationMethod"]!,
                DateTimeOffset.Parse((string)proof["created"]!, System.Globalization.CultureInfo.InvariantCulture),
                (string)proof["proofPurpose"]!);
        }
    }

    [Fact]
    public void Signing_the_unsigned_document_reproduces_the_vector_proof_byte_for_byte()
    {
        var signed = EddsaJcs2022Cryptosuite.Sign(Unsigned, Key, VectorOptions);

        Assert.Equal(Vector["signed"]!["proof"]!.ToJsonString(), signed["proof"]!.ToJsonString());
        Assert.Equal(Vector["signed"]!.ToJsonString(), signed.ToJsonString());
        Assert.Equal(JsonCanonicalizer.Canonicalize(Vector["signed"]), JsonCanonicalizer.Canonicalize(signed));
    }

    [Fact]
    public async Task Vector_signed_document_verifies_with_the_actors_multikey()
    {
        var result = await EddsaJcs2022Cryptosuite.VerifyAsync(Signed, ResolveFromActor);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("https://server.example/users/alice#ed25519-key", result.VerificationMethod);
    }

    [Fact]
    public void Signing_does_not_modify_the_input()
    {
        var unsigned = Unsigned;

        EddsaJcs2022Cryptosuite.Sign(unsigned, Key, VectorOptions);

        Assert.True(JsonNode.DeepEquals(Vector["unsigned"], unsigned));
    }

    [Fact]
    public void Tampered_document_fails()
    {
        var signed = Signed;
        signed["object"]!["content"] = "Goodbye world";

        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(signed, PublicKey).Failure);
    }

    [Fact]
    public void Tampered_number_fails()
    {
        var signed = Signed;
        signed["object"]!["location"]!["latitude"] = 25.273963;

        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(signed, PublicKey).Failure);
    }

    [Fact]
    public void Reordered_members_still_verify()
    {
        var signed = Signed;
        var reordered = new JsonObject();
        foreach (var name in signed.Select(p => p.Key).Reverse().ToList())
        {
            reordered[name] = signed[name]!.DeepClone();
        }

        Assert.True(EddsaJcs2022Cryptosuite.Verify(reordered, PublicKey).IsValid);
    }

    [Fact]
    public void Tampered_proof_options_fail()
    {
        var signed = Signed;
        signed["proof"]!["created"] = "2023-02-24T23:36:39Z";

        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(signed, PublicKey).Failure);
    }

    [Fact]
    public void Proof_by_another_key_fails()
    {
        using var other = Ed25519SigningKey.Generate();
        var forged = EddsaJcs2022Cryptosuite.Sign(Unsigned, other, VectorOptions);

        Assert.True(EddsaJcs2022Cryptosuite.Verify(forged, other.PublicKey).IsValid);
        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(forged, PublicKey).Failure);
        Assert.Equal(ProofVerificationFailure.BadSignature, EddsaJcs2022Cryptosuite.Verify(Signed, other.PublicKey).Failure);
    }

    [Fact]
    public void Document_context_not_starting_with_the_proof_context_fails()
    {
        var signed = Signed;
        signed["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams");

        Assert.Equal(ProofVerificationFailure.ContextMismatch, EddsaJcs2022Cryptosuite.Verify(signed, PublicKey).Failure);
    }

    [Fact]
    public void Missing_proof_is_reported()
    {
        Assert.Equal(ProofVerificationFailure.MissingProof, EddsaJcs2022Cryptosuite.Verify(Unsigned, PublicKey).Failure);
    }

    [Theory]
    [InlineData("cryptosuite", "eddsa-rdfc-2022", ProofVerificationFailure.UnsupportedCryptosuite)]
    [InlineData("type", "Ed25519Signature2020", ProofVerificationFailure.UnsupportedCryptosuite)]
    [InlineData("proofValue", "u42ffGu6AUKPCFc", ProofVerificationFailure.MalformedProof)]
    [InlineData("proofValue", "z0OIl", ProofVerificationFailure.MalformedProof)]
    [InlineData("created", "yesterday", ProofVerificationFailure.MalformedProof)]
    public void Invalid_proof_members_are_reported(string member, string value, ProofVerificationFailure expected)
    {
        var signed = Signed;
        signed["proof"]![member] = value;

        Assert.Equal(expected, EddsaJcs2022Cryptosuite.Verify(signed, PublicKey).Failure);
    }

    [Fact]
    public async Task Unknown_verification_method_is_reported()
    {
        var signed = Signed;
        signed["proof"]!["verificationMethod"] = "https://server.example/users/alice#other-key";

        var result = await EddsaJcs2022Cryptosuite.VerifyAsync(signed, ResolveFromActor);

        Assert.Equal(ProofVerificationFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public void Sign_refuses_an_already_signed_document()
    {
        Assert.Throws<ArgumentException>(() => EddsaJcs2022Cryptosuite.Sign(Signed, Key, VectorOptions));
    }

    private static Task<Ed25519VerificationKey?> ResolveFromActor(string verificationMethod, CancellationToken cancellationToken)
    {
        var method = Vector["actor"]!["assertionMethod"]!.AsArray()
            .FirstOrDefault(m => (string?)m!["id"] == verificationMethod && (string?)m!["type"] == "Multikey");
        return Task.FromResult(method is null ? null : Multikey.ToVerificationKey((string)method["publicKeyMultibase"]!));
    }
}
