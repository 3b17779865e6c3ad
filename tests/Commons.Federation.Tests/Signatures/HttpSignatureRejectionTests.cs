using System.Text;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Cavage;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Signatures.Rfc9421;
using static Commons.Federation.Tests.Support.SignedRequests;

namespace Commons.Federation.Tests.Signatures;

public sealed class HttpSignatureRejectionTests
{
    public static TheoryData<HttpSignatureScheme> Schemes() => [HttpSignatureScheme.Rfc9421, HttpSignatureScheme.Cavage12];

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Tampered_body_is_a_digest_mismatch(HttpSignatureScheme scheme)
    {
        var tampered = WithBody(SignedPost(scheme), "{\"type\":\"Block\"}");

        await AssertFails(SignatureVerificationFailure.DigestMismatch, tampered);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Tampered_body_with_a_recomputed_digest_is_a_bad_signature(HttpSignatureScheme scheme)
    {
        var body = "{\"type\":\"Block\"}";
        var bytes = Encoding.UTF8.GetBytes(body);
        var tampered = WithBody(SignedPost(scheme), body);
        tampered = scheme == HttpSignatureScheme.Rfc9421
            ? WithHeader(tampered, "Content-Digest", ContentDigestHeader.Compute(bytes))
            : WithHeader(tampered, "Digest", LegacyDigestHeader.Compute(bytes));

        await AssertFails(SignatureVerificationFailure.BadSignature, tampered);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Tampered_signature_is_a_bad_signature(HttpSignatureScheme scheme)
    {
        var message = SignedPost(scheme);
        var signature = message.Headers.GetCombinedValue("Signature")!;
        var b64Start = scheme == HttpSignatureScheme.Rfc9421 ? "sig1=:".Length : signature.IndexOf("signature=\"", StringComparison.Ordinal) + "signature=\"".Length;
        var flipped = signature[..b64Start] + (signature[b64Start] == 'A' ? 'B' : 'A') + signature[(b64Start + 1)..];

        await AssertFails(SignatureVerificationFailure.BadSignature, WithHeader(message, "Signature", flipped));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Tampered_target_is_a_bad_signature(HttpSignatureScheme scheme)
    {
        var message = SignedPost(scheme);
        var moved = SignableHttpMessage.ForRequest("POST", new Uri("https://inbox.example/users/carol/inbox"), message.Headers, message.Body);

        await AssertFails(SignatureVerificationFailure.BadSignature, moved);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Replayed_old_request_is_expired(HttpSignatureScheme scheme)
    {
        await AssertFails(SignatureVerificationFailure.Expired, SignedPost(scheme), Now.AddHours(1).AddMinutes(1));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Request_dated_in_the_future_is_rejected(HttpSignatureScheme scheme)
    {
        await AssertFails(SignatureVerificationFailure.FromFuture, SignedPost(scheme), Now.AddHours(-1).AddMinutes(-1));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Unknown_key_is_rejected(HttpSignatureScheme scheme)
    {
        var result = await Verifier().VerifyAsync(SignedPost(scheme, keyId: "https://elsewhere.example/actor#key"));

        Assert.Equal(SignatureVerificationFailure.UnknownKey, result.Failure);
        Assert.Equal("https://elsewhere.example/actor#key", result.KeyId);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Post_with_body_and_no_digest_is_missing_digest(HttpSignatureScheme scheme)
    {
        var message = WithHeader(WithHeader(SignedPost(scheme), "Digest", null), "Content-Digest", null);

        await AssertFails(SignatureVerificationFailure.MissingDigest, message);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Wrong_digest_is_a_digest_mismatch(HttpSignatureScheme scheme)
    {
        var other = Encoding.UTF8.GetBytes("something else");
        var message = scheme == HttpSignatureScheme.Rfc9421
            ? WithHeader(SignedPost(scheme), "Content-Digest", ContentDigestHeader.Compute(other))
            : WithHeader(SignedPost(scheme), "Digest", LegacyDigestHeader.Compute(other));

        await AssertFails(SignatureVerificationFailure.DigestMismatch, message);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Digest_with_only_unsupported_algorithms_is_rejected(HttpSignatureScheme scheme)
    {
        var message = scheme == HttpSignatureScheme.Rfc9421
            ? WithHeader(SignedPost(scheme), "Content-Digest", "md5=:AAAAAAAAAAAAAAAAAAAAAA==:")
            : WithHeader(SignedPost(scheme), "Digest", "MD5=AAAAAAAAAAAAAAAAAAAAAA==");

        await AssertFails(SignatureVerificationFailure.UnsupportedAlgorithm, message);
    }

    [Fact]
    public async Task Cavage_unknown_algorithm_is_unsupported()
    {
        var message = SignedPost(HttpSignatureScheme.Cavage12);
        var signature = message.Headers.GetCombinedValue("Signature")!.Replace("rsa-sha256", "rsa-sha1", StringComparison.Ordinal);

        await AssertFails(SignatureVerificationFailure.UnsupportedAlgorithm, WithHeader(message, "Signature", signature));
    }

    [Fact]
    public async Task Rfc9421_unknown_alg_parameter_is_unsupported()
    {
        var message = SignRfc9421Manually(p => p.WithAlgorithm("rsa-sha1"), HttpSignatureAlgorithm.RsaPkcs1Sha256);

        await AssertFails(SignatureVerificationFailure.UnsupportedAlgorithm, message);
    }

    [Fact]
    public async Task Rfc9421_alg_that_does_not_suit_the_key_is_unsupported()
    {
        var message = SignRfc9421Manually(p => p.WithAlgorithm("ed25519"), HttpSignatureAlgorithm.RsaPkcs1Sha256);

        await AssertFails(SignatureVerificationFailure.UnsupportedAlgorithm, message);
    }

    [Fact]
    public async Task Rfc9421_explicit_alg_that_matches_verifies()
    {
        var message = SignRfc9421Manually(p => p.WithAlgorithm("rsa-v1_5-sha256"), null);

        Assert.True((await Verifier().VerifyAsync(message)).IsValid);
    }

    [Fact]
    public async Task Cavage_post_whose_signature_does_not_cover_the_digest_is_rejected()
    {
        var message = SignedPost(HttpSignatureScheme.Cavage12);
        var header = CavageMessageSigner.Sign(message, RsaKey, RsaKeyId, ["(request-target)", "host", "date"]);

        await AssertFails(SignatureVerificationFailure.MissingRequiredComponent, WithHeader(message, "Signature", header.Serialize()));
    }

    [Fact]
    public async Task Cavage_signature_without_host_is_rejected()
    {
        var message = SignedPost(HttpSignatureScheme.Cavage12);
        var header = CavageMessageSigner.Sign(message, RsaKey, RsaKeyId, ["(request-target)", "date", "digest"]);

        await AssertFails(SignatureVerificationFailure.MissingRequiredComponent, WithHeader(message, "Signature", header.Serialize()));
    }

    [Fact]
    public async Task Cavage_signature_without_any_date_is_rejected()
    {
        var message = SignedPost(HttpSignatureScheme.Cavage12);
        var header = CavageMessageSigner.Sign(message, RsaKey, RsaKeyId, ["(request-target)", "host", "digest"]);

        await AssertFails(SignatureVerificationFailure.MissingRequiredComponent, WithHeader(message, "Signature", header.Serialize()));
    }

    [Fact]
    public async Task Rfc9421_signature_without_authority_is_rejected()
    {
        var message = SignRfc9421Manually(p => p, null, [ComponentIdentifier.Method, ComponentIdentifier.Path, ComponentIdentifier.Header("content-digest"), ComponentIdentifier.Header("date")]);

        await AssertFails(SignatureVerificationFailure.MissingRequiredComponent, message);
    }

    [Fact]
    public async Task Rfc9421_post_whose_signature_does_not_cover_the_digest_is_rejected()
    {
        var message = SignRfc9421Manually(p => p, null, [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Authority, ComponentIdentifier.Header("date")]);

        await AssertFails(SignatureVerificationFailure.MissingRequiredComponent, message);
    }

    [Fact]
    public async Task Rfc9421_expires_in_the_past_is_expired()
    {
        var message = SignRfc9421Manually(p => p.WithExpires(Now.AddHours(-2)), null);

        await AssertFails(SignatureVerificationFailure.Expired, message);
    }

    [Fact]
    public async Task Unsigned_request_is_missing_signature()
    {
        var message = SignableHttpMessage.ForRequest("GET", new Uri("https://inbox.example/"));

        await AssertFails(SignatureVerificationFailure.MissingSignature, message);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("sig1=(@method @target-uri);created=1;keyid=\"k\"")]
    [InlineData("sig1=(\"@method\" \"@target-uri\";created=1;keyid=\"k\"")]
    [InlineData("sig1=(\"@method\");created=\"yesterday\";keyid=\"k\"")]
    [InlineData("sig1=(\"@method\");created=1")]
    [InlineData("other=(\"@method\");created=1;keyid=\"k\"")]
    [InlineData("sig1=:AAAA:")]
    [InlineData("")]
    public async Task Garbage_signature_input_is_malformed(string signatureInput)
    {
        var message = WithHeader(SignedPost(HttpSignatureScheme.Rfc9421), "Signature-Input", signatureInput);

        await AssertFails(SignatureVerificationFailure.MalformedSignature, message);
    }

    [Theory]
    [InlineData("sig1=:not*base64:")]
    [InlineData("sig1=:QUJD")]
    [InlineData("sig1=\"QUJD\"")]
    [InlineData("sig1=QUJD")]
    [InlineData(",,,")]
    public async Task Garbage_rfc9421_signature_is_malformed(string signature)
    {
        var message = WithHeader(SignedPost(HttpSignatureScheme.Rfc9421), "Signature", signature);

        await AssertFails(SignatureVerificationFailure.MalformedSignature, message);
    }

    [Fact]
    public async Task Signature_input_without_signature_is_malformed()
    {
        var message = WithHeader(SignedPost(HttpSignatureScheme.Rfc9421), "Signature", null);

        await AssertFails(SignatureVerificationFailure.MalformedSignature, message);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("keyId=Test,headers=\"date\",signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\",headers=\"date\",signature=\"not base64!\"")]
    [InlineData("keyId=\"Test\",headers=\"date\",signature=\"QUJD")]
    [InlineData("keyId=\"Test\",headers=\"date\"")]
    [InlineData("headers=\"date\",signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\",keyId=\"Other\",signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\" signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\",created=soon,signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\",headers=\"\",signature=\"QUJD\"")]
    [InlineData("keyId=\"Test\",headers=\"(created) host\",signature=\"QUJD\"")]
    public async Task Garbage_cavage_signature_is_malformed(string signature)
    {
        var message = WithHeader(SignedPost(HttpSignatureScheme.Cavage12), "Signature", signature);

        await AssertFails(SignatureVerificationFailure.MalformedSignature, message);
    }

    [Fact]
    public async Task Unparseable_date_is_malformed()
    {
        var message = WithHeader(SignedPost(HttpSignatureScheme.Cavage12), "Date", "yesterday");

        await AssertFails(SignatureVerificationFailure.MalformedSignature, message);
    }

    [Fact]
    public async Task Key_resolver_is_not_called_for_requests_that_fail_cheap_checks()
    {
        var calls = 0;
        var verifier = new HttpSignatureVerifier(
            (_, _) => { calls++; return Task.FromResult<VerificationKey?>(null); },
            new Support.FixedTimeProvider(Now));

        await verifier.VerifyAsync(WithBody(SignedPost(HttpSignatureScheme.Cavage12), "tampered"));
        await verifier.VerifyAsync(SignedPost(HttpSignatureScheme.Rfc9421));

        Assert.Equal(1, calls);
    }

    private static SignableHttpMessage SignRfc9421Manually(
        Func<SignatureParameters, SignatureParameters> parameters,
        HttpSignatureAlgorithm? algorithm,
        IReadOnlyList<ComponentIdentifier>? components = null)
    {
        var unsigned = WithHeader(WithHeader(SignedPost(HttpSignatureScheme.Rfc9421), "Signature", null), "Signature-Input", null);
        var input = new SignatureInput(
            "sig1",
            components ?? [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Authority, ComponentIdentifier.Header("content-digest"), ComponentIdentifier.Header("date")],
            parameters(new SignatureParameters().WithCreated(Now).WithKeyId(RsaKeyId)));
        Rfc9421MessageSigner.SignAndAttach(unsigned, input, RsaKey, algorithm);
        return unsigned;
    }

    private static async Task AssertFails(SignatureVerificationFailure expected, SignableHttpMessage message, DateTimeOffset? now = null)
    {
        var result = await Verifier(now).VerifyAsync(message);

        Assert.False(result.IsValid);
        Assert.True(expected == result.Failure, $"Expected {expected}, got {result}");
    }
}
