using System.Text;
using System.Text.Json;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Signatures.Rfc9421;
using Commons.Federation.Signatures.StructuredFields;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Signatures;

public sealed class Rfc9421VectorTests
{
    private static readonly JsonElement Vectors = TestVectors.ReadJson("rfc9421", "vectors.json");

    public static TheoryData<string> AllVectors() => Names(_ => true);

    public static TheoryData<string> DeterministicVectors() => Names(v => v.GetProperty("deterministic").GetBoolean());

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_input_round_trips_byte_for_byte(string name)
    {
        var vector = Vector(name);
        var input = ParseInput(vector);

        Assert.Equal(vector.GetProperty("signature_input").GetString(), input.SerializeMember());
        Assert.Equal(vector.GetProperty("signature_input").GetString(), Rfc9421SignatureHeaders.SerializeSignatureInput([input]));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_base_is_reproduced_byte_for_byte(string name)
    {
        var vector = Vector(name);

        var signatureBase = SignatureBaseBuilder.Build(MessageFor(name), ParseInput(vector));

        Assert.Equal(vector.GetProperty("signature_base").GetString(), signatureBase);
    }

    [Theory]
    [MemberData(nameof(DeterministicVectors))]
    public void Deterministic_signatures_are_reproduced_byte_for_byte(string name)
    {
        var vector = Vector(name);
        var key = SigningKeyFor(vector);

        var result = Rfc9421MessageSigner.Sign(MessageFor(name), ParseInput(vector), key, Algorithm(vector));

        Assert.Equal(vector.GetProperty("signature").GetString(), Convert.ToBase64String(result.Signature.Signature.Span));
        Assert.Equal(vector.GetProperty("signature_base").GetString(), result.SignatureBase);
    }

    [Theory]
    [MemberData(nameof(DeterministicVectors))]
    public void A_signature_s_header_values_are_the_vector_s_headers(string name)
    {
        var vector = Vector(name);
        var key = SigningKeyFor(vector);

        var result = Rfc9421MessageSigner.Sign(MessageFor(name), ParseInput(vector), key, Algorithm(vector));

        // Signature-Input is taken from the signature base's last line: the same text as serializing the input.
        Assert.Equal(vector.GetProperty("signature_input").GetString(), result.SignatureInputHeaderValue);
        Assert.Equal(Rfc9421SignatureHeaders.SerializeSignatureInput([result.Signature.Input]), result.SignatureInputHeaderValue);
        Assert.Equal($"{result.Signature.Input.Label}=:{vector.GetProperty("signature").GetString()}:", result.SignatureHeaderValue);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Every_vector_signature_verifies_with_the_public_key(string name)
    {
        var vector = Vector(name);
        var signature = new LabelledSignature(ParseInput(vector), Convert.FromBase64String(vector.GetProperty("signature").GetString()!));

        Assert.True(Rfc9421MessageVerifier.Verify(MessageFor(name), signature, VerificationKeyFor(vector), Algorithm(vector)));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Signature_and_input_headers_parse_into_the_vector(string name)
    {
        var vector = Vector(name);
        var label = vector.GetProperty("signature_input").GetString()!.Split('=')[0];
        var signatureHeader = $"{label}=:{vector.GetProperty("signature").GetString()}:";

        var parsed = Assert.Single(Rfc9421SignatureHeaders.Parse(vector.GetProperty("signature_input").GetString()!, signatureHeader));

        Assert.Equal(label, parsed.Input.Label);
        Assert.Equal(signatureHeader, Rfc9421SignatureHeaders.SerializeSignature([parsed]));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void A_modified_signature_base_does_not_verify(string name)
    {
        var vector = Vector(name);
        var signature = new LabelledSignature(ParseInput(vector), Convert.FromBase64String(vector.GetProperty("signature").GetString()!));
        var tampered = MessageFor(name);
        tampered.Headers.Set(tampered.IsRequest ? "Content-Type" : "Content-Type", "text/plain");
        tampered.Headers.Set("Date", "Tue, 20 Apr 2021 02:07:57 GMT");
        var covers = signature.Input.Components.Any(c => c.Name is "content-type" or "date");

        if (covers)
        {
            Assert.False(Rfc9421MessageVerifier.Verify(tampered, signature, VerificationKeyFor(vector), Algorithm(vector)));
        }
        else
        {
            var other = signature with { Input = signature.Input with { Parameters = signature.Input.Parameters.WithNonce("changed") } };
            Assert.False(Rfc9421MessageVerifier.Verify(MessageFor(name), other, VerificationKeyFor(vector), Algorithm(vector)));
        }
    }

    [Fact]
    public void Parameters_built_in_code_serialize_like_the_proxy_example()
    {
        var input = new SignatureInput(
            "proxy_sig",
            [
                ComponentIdentifier.Method, ComponentIdentifier.Authority, ComponentIdentifier.Path,
                ComponentIdentifier.Header("Content-Digest"), ComponentIdentifier.Header("content-type"),
                ComponentIdentifier.Header("content-length"), ComponentIdentifier.Header("forwarded"),
            ],
            new SignatureParameters()
                .WithCreated(DateTimeOffset.FromUnixTimeSeconds(1618884480))
                .WithKeyId("test-key-rsa")
                .WithAlgorithm("rsa-v1_5-sha256")
                .WithExpires(DateTimeOffset.FromUnixTimeSeconds(1618884540)));

        Assert.Equal(Vector("4.3-proxy_sig").GetProperty("signature_input").GetString(), input.SerializeMember());
    }

    [Fact]
    public void Query_param_component_built_in_code_serializes_like_b_2_2()
    {
        var input = new SignatureInput(
            "sig-b22",
            [ComponentIdentifier.Authority, ComponentIdentifier.Header("content-digest"), ComponentIdentifier.QueryParam("Pet")],
            new SignatureParameters()
                .WithCreated(DateTimeOffset.FromUnixTimeSeconds(1618884473))
                .WithKeyId("test-key-rsa-pss")
                .WithTag("header-example"));
        var vector = Vector("B.2.2");

        Assert.Equal(vector.GetProperty("signature_input").GetString(), input.SerializeMember());
        Assert.Equal(vector.GetProperty("signature_base").GetString(), SignatureBaseBuilder.Build(VectorMessages.Request(Vectors), input));
    }

    [Fact]
    public void Rsa_pss_key_signs_and_verifies_its_own_signature()
    {
        var vector = Vector("B.2.3");
        var key = SigningKeyFor(vector);
        var message = VectorMessages.Request(Vectors);

        var result = Rfc9421MessageSigner.Sign(message, ParseInput(vector), key);

        Assert.Equal(HttpSignatureAlgorithm.RsaPssSha512, key.DefaultAlgorithm);
        Assert.True(Rfc9421MessageVerifier.Verify(message, result.Signature, VerificationKeyFor(vector), HttpSignatureAlgorithm.RsaPssSha512));
    }

    [Fact]
    public void Ecdsa_key_signs_and_verifies_its_own_signature()
    {
        var vector = Vector("B.2.4");
        var key = SigningKeyFor(vector);
        var message = VectorMessages.Response(Vectors);

        var result = Rfc9421MessageSigner.Sign(message, ParseInput(vector), key);

        Assert.Equal(64, result.Signature.Signature.Length);
        Assert.True(Rfc9421MessageVerifier.Verify(message, result.Signature, VerificationKeyFor(vector)));
    }

    [Fact]
    public void Signature_base_derived_components_follow_the_rfc()
    {
        var message = SignableHttpMessage.ForRequest("POST", new Uri("https://www.Example.com:8443/path/a%20b?x=1&y=%2F+b"));
        string Value(ComponentIdentifier c) => ComponentValueResolver.Resolve(message, c);

        Assert.Equal("POST", Value(ComponentIdentifier.Method));
        Assert.Equal("https://www.example.com:8443/path/a%20b?x=1&y=%2F+b", Value(ComponentIdentifier.TargetUri));
        Assert.Equal("www.example.com:8443", Value(ComponentIdentifier.Authority));
        Assert.Equal("https", Value(ComponentIdentifier.Scheme));
        Assert.Equal("/path/a%20b?x=1&y=%2F+b", Value(ComponentIdentifier.RequestTarget));
        Assert.Equal("/path/a%20b", Value(ComponentIdentifier.Path));
        Assert.Equal("?x=1&y=%2F+b", Value(ComponentIdentifier.Query));
        Assert.Equal("%2F%20b", Value(ComponentIdentifier.QueryParam("y")));
        Assert.Equal("?", ComponentValueResolver.Resolve(SignableHttpMessage.ForRequest("GET", new Uri("https://a.example/")), ComponentIdentifier.Query));
    }

    [Fact]
    public void Repeated_header_values_are_trimmed_and_joined()
    {
        var headers = new HttpHeaderMultiMap();
        headers.Add("Cache-Control", "  max-age=60 ");
        headers.Add("cache-control", "must-revalidate");
        var message = SignableHttpMessage.ForRequest("GET", new Uri("https://a.example/"), headers);

        Assert.Equal("max-age=60, must-revalidate", ComponentValueResolver.Resolve(message, ComponentIdentifier.Header("Cache-Control")));
    }

    [Fact]
    public void Missing_covered_header_is_reported()
    {
        var message = SignableHttpMessage.ForRequest("GET", new Uri("https://a.example/"));

        Assert.Throws<Commons.Federation.Signatures.SignatureComponentException>(() =>
            ComponentValueResolver.Resolve(message, ComponentIdentifier.Header("date")));
    }

    private static TheoryData<string> Names(Func<JsonElement, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var vector in TestVectors.ReadJson("rfc9421", "vectors.json").GetProperty("vectors").EnumerateArray().Where(filter))
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }
        return data;
    }

    private static JsonElement Vector(string name) =>
        Vectors.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    private static SignatureInput ParseInput(JsonElement vector) =>
        SignatureInput.FromMember(Assert.Single(StructuredFieldParser.ParseDictionary(vector.GetProperty("signature_input").GetString()!)));

    private static HttpSignatureAlgorithm Algorithm(JsonElement vector) =>
        HttpSignatureAlgorithmNames.TryParse(vector.GetProperty("alg").GetString()!, out var algorithm) ? algorithm : throw new InvalidOperationException();

    /// <summary>B.2.4 signs the response; §4.3 is the request as the origin sees it behind the proxy; the rest sign the request.</summary>
    private static SignableHttpMessage MessageFor(string name)
    {
        if (name == "B.2.4")
        {
            return VectorMessages.Response(Vectors);
        }
        var request = VectorMessages.Request(Vectors);
        if (name != "4.3-proxy_sig")
        {
            return request;
        }
        var headers = request.Headers.Clone();
        headers.Set("Host", "origin.host.internal.example");
        headers.Add("Forwarded", "for=192.0.2.123;host=example.com;proto=https");
        return SignableHttpMessage.ForRequest("POST", new Uri("https://origin.host.internal.example/foo?param=Value&Pet=dog"), headers, request.Body);
    }

    private static SigningKey SigningKeyFor(JsonElement vector)
    {
        var file = vector.GetProperty("key").GetString()!;
        return file.EndsWith(".b64", StringComparison.Ordinal)
            ? new HmacSha256Key(Convert.FromBase64String(TestVectors.ReadText("rfc9421", file).Trim()))
            : PemKeyImporter.ImportSigningKey(TestVectors.ReadText("rfc9421", file));
    }

    private static VerificationKey VerificationKeyFor(JsonElement vector)
    {
        var file = vector.GetProperty("key").GetString()!;
        return file.EndsWith(".b64", StringComparison.Ordinal)
            ? SigningKeyFor(vector).VerificationKey
            : PemKeyImporter.ImportVerificationKey(TestVectors.ReadText("rfc9421", file));
    }

    [Fact]
    public void Content_digest_of_the_test_bodies_matches_the_vector_headers()
    {
        var request = VectorMessages.Request(Vectors);
        var response = VectorMessages.Response(Vectors);

        Assert.Equal(request.Headers.GetCombinedValue("Content-Digest"),
            Commons.Federation.Signatures.Digests.ContentDigestHeader.Compute(request.Body!.Value.Span, Commons.Federation.Signatures.Digests.DigestAlgorithm.Sha512));
        Assert.Equal(response.Headers.GetCombinedValue("Content-Digest"),
            Commons.Federation.Signatures.Digests.ContentDigestHeader.Compute(response.Body!.Value.Span, Commons.Federation.Signatures.Digests.DigestAlgorithm.Sha512));
        Assert.Equal("{\"hello\": \"world\"}", Encoding.UTF8.GetString(request.Body!.Value.Span));
    }
}
