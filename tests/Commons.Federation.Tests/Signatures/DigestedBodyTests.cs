using System.Text;
using Commons.Federation.Signatures.Digests;

namespace Commons.Federation.Tests.Signatures;

/// <summary>The body a fan-out sends to many inboxes, digested once: its digests must be the body's, whatever the caller does.</summary>
public sealed class DigestedBodyTests
{
    [Fact]
    public void Its_digests_are_the_headers_computed_from_the_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"type\":\"Create\",\"content\":\"Salle à prêter\"}");
        var body = new DigestedBody(bytes);

        Assert.Equal(ContentDigestHeader.Compute(bytes), body.ContentDigest);
        Assert.Equal(LegacyDigestHeader.Compute(bytes), body.LegacyDigest);
        Assert.Equal(DigestVerificationOutcome.Valid, ContentDigestHeader.Verify(body.ContentDigest, body.Bytes.Span));
        Assert.Equal(DigestVerificationOutcome.Valid, LegacyDigestHeader.Verify(body.LegacyDigest, body.Bytes.Span));
        Assert.Equal(bytes, DigestedBody.FromText("{\"type\":\"Create\",\"content\":\"Salle à prêter\"}").Bytes.ToArray());
    }

    [Fact]
    public void Each_digest_is_computed_once()
    {
        var body = DigestedBody.FromText("{\"type\":\"Create\"}");

        Assert.Same(body.ContentDigest, body.ContentDigest);
        Assert.Same(body.LegacyDigest, body.LegacyDigest);
    }

    [Fact]
    public void A_caller_reusing_its_buffer_changes_neither_the_body_nor_its_digest()
    {
        var buffer = Encoding.UTF8.GetBytes("{\"type\":\"Create\",\"id\":\"1\"}");
        var original = buffer.ToArray();
        var body = new DigestedBody(buffer);
        var digest = body.ContentDigest;

        Encoding.UTF8.GetBytes("{\"type\":\"Delete\",\"id\":\"2\"}").CopyTo(buffer, 0);

        Assert.Equal(original, body.Bytes.ToArray());
        Assert.Equal(digest, body.ContentDigest);
        Assert.Equal(DigestVerificationOutcome.Valid, ContentDigestHeader.Verify(body.ContentDigest, body.Bytes.Span));
    }
}
