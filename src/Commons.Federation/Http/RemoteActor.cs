using System.Net;
using System.Text.Json;

namespace Commons.Federation.Http;

/// <summary>A public key an actor publishes (<c>publicKey</c>, Mastodon style).</summary>
public sealed record RemotePublicKey(string Id, Uri? Owner, string PublicKeyPem);

/// <summary>A fetched actor document: the raw JSON and the parts federation needs.</summary>
public sealed record RemoteActor(
    Uri Id,
    string? Type,
    string? PreferredUsername,
    Uri Inbox,
    Uri? Outbox,
    Uri? Followers,
    Uri? SharedInbox,
    IReadOnlyList<RemotePublicKey> PublicKeys,
    JsonElement Document,
    DateTimeOffset FetchedAt)
{
    /// <summary>The inbox to deliver to: the shared inbox when there is one.</summary>
    public Uri DeliveryInbox => SharedInbox ?? Inbox;

    public RemotePublicKey? FindKey(string keyId) =>
        PublicKeys.FirstOrDefault(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));
}

/// <summary>An actor could not be fetched or is not acceptable (error status, not JSON, id mismatch, missing inbox …).</summary>
public sealed class RemoteActorException(Uri uri, string reason, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : FederationHttpException($"Actor {uri}: {reason}", innerException)
{
    public Uri Uri { get; } = uri;

    /// <summary>The HTTP status when the server answered with an error (410 Gone: the actor was deleted).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>A verification key found through a keyId, and the actor that owns it (compare it with the activity's actor).</summary>
public sealed record ResolvedKey(string KeyId, Uri Owner, Signatures.Keys.VerificationKey Key);
