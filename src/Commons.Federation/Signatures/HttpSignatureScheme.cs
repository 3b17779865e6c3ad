namespace Commons.Federation.Signatures;

/// <summary>Which HTTP signature specification a message uses.</summary>
public enum HttpSignatureScheme
{
    /// <summary>RFC 9421 HTTP Message Signatures (Signature-Input + Signature).</summary>
    Rfc9421,

    /// <summary>draft-cavage-http-signatures-12 (Signature header), as Mastodon sends.</summary>
    Cavage12,
}
