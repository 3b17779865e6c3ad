namespace Commons.Federation.Signatures.Rfc9421;

public static class Rfc9421HeaderNames
{
    public const string SignatureInput = "Signature-Input";
    public const string Signature = "Signature";
}
