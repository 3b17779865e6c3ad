namespace Commons.Federation.Signatures.Digests;

/// <summary>
/// A request body with its SHA-256 digest headers, each computed at most once: a fan-out sends the same activity to
/// many inboxes, and a redirect or a draft-cavage retry sends it again. The bytes are copied in, so a caller reusing
/// its buffer cannot make a digest disagree with the body it is sent with.
/// </summary>
public sealed class DigestedBody
{
    private readonly byte[] _bytes;
    private string? _contentDigest;
    private string? _legacyDigest;

    public DigestedBody(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private DigestedBody(byte[] owned) => _bytes = owned;

    /// <summary>A body of UTF-8 text (an activity's JSON), encoded once.</summary>
    public static DigestedBody FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DigestedBody(System.Text.Encoding.UTF8.GetBytes(text));
    }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public int Length => _bytes.Length;

    /// <summary>The RFC 9530 <c>Content-Digest</c> value (<c>sha-256=:…:</c>), for RFC 9421 signatures.</summary>
    public string ContentDigest => _contentDigest ??= ContentDigestHeader.Compute(_bytes, DigestAlgorithm.Sha256);

    /// <summary>The RFC 3230 <c>Digest</c> value (<c>SHA-256=…</c>), for draft-cavage signatures.</summary>
    public string LegacyDigest => _legacyDigest ??= LegacyDigestHeader.Compute(_bytes, DigestAlgorithm.Sha256);

    /// <summary>The content to send: the same bytes, not copied again (HttpClient only reads them).</summary>
    internal HttpContent ToContent() => new ByteArrayContent(_bytes);
}
