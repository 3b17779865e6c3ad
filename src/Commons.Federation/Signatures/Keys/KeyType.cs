namespace Commons.Federation.Signatures.Keys;

/// <summary>The kind of key material behind a signing or verification key.</summary>
public enum KeyType
{
    Rsa,
    EcdsaP256,
    Ed25519,
    Hmac,
}
