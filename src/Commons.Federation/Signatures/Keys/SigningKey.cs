namespace Commons.Federation.Signatures.Keys;

/// <summary>A key that produces signatures, with the matching <see cref="VerificationKey"/>.</summary>
public abstract class SigningKey
{
    public abstract KeyType KeyType { get; }

    public abstract HttpSignatureAlgorithm DefaultAlgorithm { get; }

    public abstract bool Supports(HttpSignatureAlgorithm algorithm);

    public abstract VerificationKey VerificationKey { get; }

    public byte[] Sign(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        if (!Supports(algorithm))
        {
            throw new NotSupportedException($"A {KeyType} key cannot produce {algorithm.ToName()} signatures.");
        }
        return SignCore(algorithm, data);
    }

    protected abstract byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data);
}
