namespace Commons.Federation.Signatures.Keys;

/// <summary>
/// A key that checks signatures. Instances hold imported key material and are safe to share
/// between threads for verification (the BCL/OpenSSL and libsodium primitives used are stateless per call).
/// </summary>
public abstract class VerificationKey
{
    public abstract KeyType KeyType { get; }

    /// <summary>Algorithm used when a signature does not name one (RFC 9421 lets the key decide).</summary>
    public abstract HttpSignatureAlgorithm DefaultAlgorithm { get; }

    public abstract bool Supports(HttpSignatureAlgorithm algorithm);

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/>; false on any mismatch.</summary>
    public bool Verify(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!Supports(algorithm))
        {
            throw new NotSupportedException($"A {KeyType} key cannot verify {algorithm.ToName()} signatures.");
        }
        return VerifyCore(algorithm, data, signature);
    }

    protected abstract bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}
