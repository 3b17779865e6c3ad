using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Http;

/// <summary>The key an outgoing request is signed with and the keyId (e.g. <c>https://node/actor#main-key</c>) peers fetch to verify it.</summary>
public sealed class SigningIdentity
{
    private readonly Func<(SigningKey Key, string KeyId)> _current;

    public SigningIdentity(SigningKey key, string keyId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        _current = () => (key, keyId);
    }

    /// <summary>An identity whose key changes when the actor's keys are rotated: <paramref name="current"/> is asked at each signing.</summary>
    public SigningIdentity(Func<(SigningKey Key, string KeyId)> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        _current = current;
    }

    public SigningKey Key => _current().Key;

    public string KeyId => _current().KeyId;

    /// <summary>The key and its id read together (a rotation between two separate reads would mix generations).</summary>
    public (SigningKey Key, string KeyId) Current() => _current();
}
