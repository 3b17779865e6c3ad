using System.Text;
using Commons.Federation.Signatures.Digests;

namespace Commons.Federation.Tests.Signatures;

public sealed class DigestHeaderTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"hello\": \"world\"}");

    [Fact]
    public void Content_digest_sha256_has_the_structured_field_form()
    {
        Assert.Equal("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", ContentDigestHeader.Compute(Body));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Sha512)]
    public void Computed_digests_verify(DigestAlgorithm algorithm)
    {
        Assert.Equal(DigestVerificationOutcome.Valid, ContentDigestHeader.Verify(ContentDigestHeader.Compute(Body, algorithm), Body));
        Assert.Equal(DigestVerificationOutcome.Valid, LegacyDigestHeader.Verify(LegacyDigestHeader.Compute(Body, algorithm), Body));
    }

    [Fact]
    public void Any_supported_algorithm_is_accepted_and_unknown_ones_ignored()
    {
        var contentDigest = "md5=:AAAA:, " + ContentDigestHeader.Compute(Body, DigestAlgorithm.Sha512);
        var legacy = "MD5=AAAA, " + LegacyDigestHeader.Compute(Body, DigestAlgorithm.Sha512).Replace("SHA-512", "sha-512", StringComparison.Ordinal);

        Assert.Equal(DigestVerificationOutcome.Valid, ContentDigestHeader.Verify(contentDigest, Body));
        Assert.Equal(DigestVerificationOutcome.Valid, LegacyDigestHeader.Verify(legacy, Body));
    }

    [Fact]
    public void Only_unsupported_algorithms_are_rejected()
    {
        Assert.Equal(DigestVerificationOutcome.NoSupportedAlgorithm, ContentDigestHeader.Verify("md5=:AAAA:, unixsum=:AAAA:", Body));
        Assert.Equal(DigestVerificationOutcome.NoSupportedAlgorithm, LegacyDigestHeader.Verify("MD5=AAAA", Body));
    }

    [Fact]
    public void Digest_of_another_body_mismatches()
    {
        var other = Encoding.UTF8.GetBytes("{\"hello\": \"moon\"}");

        Assert.Equal(DigestVerificationOutcome.Mismatch, ContentDigestHeader.Verify(ContentDigestHeader.Compute(Body), other));
        Assert.Equal(DigestVerificationOutcome.Mismatch, LegacyDigestHeader.Verify(LegacyDigestHeader.Compute(Body), other));
    }

    [Fact]
    public void Any_mismatching_supported_entry_fails_even_if_another_matches()
    {
        var header = ContentDigestHeader.Compute(Body) + ", " + ContentDigestHeader.Compute(Encoding.UTF8.GetBytes("x"), DigestAlgorithm.Sha512);

        Assert.Equal(DigestVerificationOutcome.Mismatch, ContentDigestHeader.Verify(header, Body));
    }

    [Theory]
    [InlineData("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("sha-256=:not base64:")]
    [InlineData("sha-256=:X48E9q")]
    public void Malformed_content_digest_is_reported(string header)
    {
        Assert.Equal(DigestVerificationOutcome.Malformed, ContentDigestHeader.Verify(header, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Absent_digest_is_missing(string? header)
    {
        Assert.Equal(DigestVerificationOutcome.Missing, ContentDigestHeader.Verify(header, Body));
        Assert.Equal(DigestVerificationOutcome.Missing, LegacyDigestHeader.Verify(header, Body));
    }
}
