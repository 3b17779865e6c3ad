using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Http;

/// <summary>The key an outgoing request is signed with and the keyId (e.g. <c>https://node/actor#main-key</c>) peers fetch to verify it.</summary>
public sealed record SigningIdentity
{
    public SigningIdentity(SigningKey key, string keyId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        Key = key;
        KeyId = keyId;
    }

    public SigningKey Key { get; }

    public string KeyId { get; }
}
