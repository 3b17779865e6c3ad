using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Tests.Support;
using static Commons.Federation.Tests.Support.SignedRequests;

namespace Commons.Federation.Tests.Signatures;

public sealed class HttpSignatureRoundTripTests
{
    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Signed_post_verifies(HttpSignatureScheme scheme)
    {
        var result = await Verifier().VerifyAsync(SignedPost(scheme));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(scheme, result.Scheme);
        Assert.Equal(RsaKeyId, result.KeyId);
        Assert.False(result.VerifiedWithoutQuery);
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Signed_get_without_body_verifies(HttpSignatureScheme scheme)
    {
        var message = SignedGet(scheme);

        var result = await Verifier().VerifyAsync(message);

        Assert.True(result.IsValid, result.ToString());
        Assert.False(message.Headers.Contains("Digest"));
        Assert.False(message.Headers.Contains("Content-Digest"));
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Ed25519_signed_post_verifies(HttpSignatureScheme scheme)
    {
        var result = await Verifier().VerifyAsync(SignedPost(scheme, Ed25519Key, Ed25519KeyId));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Ed25519KeyId, result.KeyId);
    }

    [Fact]
    public async Task Rfc9421_post_carries_the_mastodon_component_set()
    {
        var request = Post();
        HttpSignatureSigner.SignRequest(request, RsaKey, RsaKeyId, HttpSignatureScheme.Rfc9421, Now);

        var input = Assert.Single(request.Headers.GetValues("Signature-Input"));
        Assert.Equal(
            $"sig1=(\"@method\" \"@target-uri\" \"@authority\" \"content-digest\" \"date\");created={Now.ToUnixTimeSeconds()};keyid=\"{RsaKeyId}\"",
            input);
        Assert.StartsWith("sig1=:", Assert.Single(request.Headers.GetValues("Signature")), StringComparison.Ordinal);
        Assert.StartsWith("sha-256=:", Assert.Single(request.Headers.GetValues("Content-Digest")), StringComparison.Ordinal);
        Assert.Equal("Sun, 01 Mar 2026 12:00:00 GMT", Assert.Single(request.Headers.GetValues("Date")));
        Assert.True((await Verifier().VerifyAsync(request)).IsValid);
    }

    [Fact]
    public async Task Cavage_post_carries_the_mastodon_header_set()
    {
        var request = Post();
        await HttpSignatureSigner.SignRequestAsync(request, RsaKey, RsaKeyId, HttpSignatureScheme.Cavage12, Now);

        var signature = Assert.Single(request.Headers.GetValues("Signature"));
        Assert.StartsWith($"keyId=\"{RsaKeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"", signature, StringComparison.Ordinal);
        Assert.StartsWith("SHA-256=", Assert.Single(request.Headers.GetValues("Digest")), StringComparison.Ordinal);
        Assert.Equal("inbox.example", request.Headers.Host);
        Assert.True((await Verifier().VerifyAsync(request)).IsValid);
    }

    [Fact]
    public async Task Signing_twice_replaces_the_previous_signature()
    {
        var request = Post();
        HttpSignatureSigner.SignRequest(request, RsaKey, RsaKeyId, HttpSignatureScheme.Cavage12, Now.AddDays(-1));
        HttpSignatureSigner.SignRequest(request, RsaKey, RsaKeyId, HttpSignatureScheme.Cavage12, Now);

        Assert.Single(request.Headers.GetValues("Signature"));
        Assert.True((await Verifier().VerifyAsync(request)).IsValid);
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Signature_over_the_path_only_verifies_when_query_tolerance_is_on(HttpSignatureScheme scheme)
    {
        // A peer signs /outbox but the request arrives with a query string (Mastodon/GoToSocial tolerate this).
        var signed = SignedGet(scheme, "https://inbox.example/users/alice/outbox");
        var received = SignableHttpMessage.ForRequest("GET", new Uri("https://inbox.example/users/alice/outbox?page=true"), signed.Headers);

        var tolerant = await Verifier().VerifyAsync(received);
        var strict = await Verifier(options: new HttpSignatureVerifierOptions { AllowQueryStringTolerance = false }).VerifyAsync(received);

        Assert.True(tolerant.IsValid, tolerant.ToString());
        Assert.True(tolerant.VerifiedWithoutQuery);
        Assert.Equal(SignatureVerificationFailure.BadSignature, strict.Failure);
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Dates_within_the_skew_are_accepted(HttpSignatureScheme scheme)
    {
        var message = SignedPost(scheme);

        Assert.True((await Verifier(Now.AddMinutes(59)).VerifyAsync(message)).IsValid);
        Assert.True((await Verifier(Now.AddMinutes(-59)).VerifyAsync(message)).IsValid);
    }

    [Fact]
    public async Task Cavage_signature_in_authorization_header_verifies()
    {
        var message = SignedGet(HttpSignatureScheme.Cavage12);
        var moved = WithHeader(WithHeader(message, "Authorization", "Signature " + message.Headers.GetCombinedValue("Signature")), "Signature", null);

        var result = await Verifier().VerifyAsync(moved);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Signed_request_content_can_still_be_sent(HttpSignatureScheme scheme)
    {
        var request = Post(body: "{\"type\":\"Like\"}");

        HttpSignatureSigner.SignRequest(request, RsaKey, RsaKeyId, scheme, Now);

        Assert.Equal("{\"type\":\"Like\"}", await request.Content!.ReadAsStringAsync());
        Assert.Equal("{\"type\":\"Like\"}", await request.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cavage_signature_dated_by_created_instead_of_date_verifies()
    {
        var message = WithHeader(SignedGet(HttpSignatureScheme.Cavage12), "Signature", null);
        var header = Commons.Federation.Signatures.Cavage.CavageMessageSigner.Sign(
            message, Ed25519Key, Ed25519KeyId, ["(request-target)", "host", "(created)"], created: Now, expires: Now.AddMinutes(5));
        var signed = WithHeader(WithHeader(message, "Signature", header.Serialize()), "Date", null);

        var result = await Verifier().VerifyAsync(signed);
        var late = await Verifier(Now.AddHours(2)).VerifyAsync(signed);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(SignatureVerificationFailure.Expired, late.Failure);
        Assert.Contains("algorithm=\"hs2019\"", header.Serialize(), StringComparison.Ordinal);
    }
}
