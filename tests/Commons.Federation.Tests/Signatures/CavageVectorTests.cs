using System.Text.Json;
using Commons.Federation.Signatures.Cavage;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Signatures;

public sealed class CavageVectorTests
{
    private static readonly JsonElement Vectors = TestVectors.ReadJson("cavage12", "vectors.json");
    private static readonly VerificationKey PublicKey = PemKeyImporter.ImportVerificationKey(TestVectors.ReadText("cavage12", "test-key-public.pem"));

    public static TheoryData<string> AllVectors()
    {
        var data = new TheoryData<string>();
        foreach (var vector in TestVectors.ReadJson("cavage12", "vectors.json").GetProperty("vectors").EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signing_string_is_reproduced_byte_for_byte(string name)
    {
        var vector = Vector(name);
        var headers = vector.GetProperty("headers").GetString()!.Split(' ');

        var signingString = CavageSigningString.Build(VectorMessages.Request(Vectors), headers);

        Assert.Equal(vector.GetProperty("signing_string").GetString(), signingString);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_verifies_with_the_public_key(string name)
    {
        var header = CavageSignatureHeader.Parse(HeaderValue(Vector(name)));

        Assert.Equal("Test", header.KeyId);
        Assert.True(CavageMessageVerifier.Verify(VectorMessages.Request(Vectors), header, PublicKey));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_verifies_when_the_algorithm_is_hs2019_as_mastodon_sends(string name)
    {
        var header = CavageSignatureHeader.Parse(HeaderValue(Vector(name))) with { Algorithm = "hs2019" };

        Assert.True(CavageMessageVerifier.Verify(VectorMessages.Request(Vectors), header, PublicKey));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_header_serializes_back_to_its_input(string name)
    {
        var value = HeaderValue(Vector(name));

        Assert.Equal(value, CavageSignatureHeader.Parse(value).Serialize());
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_fails_for_a_different_date(string name)
    {
        var message = VectorMessages.Request(Vectors);
        message.Headers.Set("Date", "Sun, 05 Jan 2014 21:31:41 GMT");

        Assert.False(CavageMessageVerifier.Verify(message, CavageSignatureHeader.Parse(HeaderValue(Vector(name))), PublicKey));
    }

    [Fact]
    public void Digest_of_the_test_body_matches_the_vector_header()
    {
        var request = VectorMessages.Request(Vectors);

        Assert.Equal(request.Headers.GetCombinedValue("Digest"), LegacyDigestHeader.Compute(request.Body!.Value.Span));
        Assert.Equal(DigestVerificationOutcome.Valid, LegacyDigestHeader.Verify(request.Headers.GetCombinedValue("Digest"), request.Body!.Value.Span));
    }

    [Fact]
    public void Header_without_headers_parameter_defaults_to_date()
    {
        var vector = Vector("C.1");
        var value = $"keyId=\"Test\",algorithm=\"rsa-sha256\",signature=\"{vector.GetProperty("signature").GetString()}\"";

        var header = CavageSignatureHeader.Parse(value);

        Assert.True(header.HeadersDefaulted);
        Assert.Equal(["date"], header.Headers);
        Assert.True(CavageMessageVerifier.Verify(VectorMessages.Request(Vectors), header, PublicKey));
    }

    [Fact]
    public void Created_and_expires_pseudo_headers_are_signed_as_integers()
    {
        var message = VectorMessages.Request(Vectors);

        var signingString = CavageSigningString.Build(message, ["(created)", "(expires)"], DateTimeOffset.FromUnixTimeSeconds(1402170695), DateTimeOffset.FromUnixTimeSeconds(1402170699));

        Assert.Equal("(created): 1402170695\n(expires): 1402170699", signingString);
    }

    private static JsonElement Vector(string name) =>
        Vectors.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    private static string HeaderValue(JsonElement vector) =>
        $"keyId=\"{vector.GetProperty("keyId").GetString()}\",algorithm=\"{vector.GetProperty("algorithm").GetString()}\"," +
        $"headers=\"{vector.GetProperty("headers").GetString()}\",signature=\"{vector.GetProperty("signature").GetString()}\"";
}
