using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Delivery;

/// <summary>What a delivery attempt got back: a status, or a transport failure (no answer), and the peer's Retry-After.</summary>
public sealed record SendOutcome(int? StatusCode, TimeSpan? RetryAfter, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>POSTs one signed activity to one inbox.</summary>
public interface IActivitySender
{
    Task<SendOutcome> PostAsync(Uri inbox, byte[] activityJson, SigningKey key, string keyId, CancellationToken ct);

    /// <summary>
    /// The same for a body the processor sends to many inboxes (encoded and digested once per activity); a sender that
    /// cannot use the digest sends the bytes.
    /// </summary>
    Task<SendOutcome> PostAsync(Uri inbox, DigestedBody activityJson, SigningKey key, string keyId, CancellationToken ct) =>
        PostAsync(inbox, activityJson.Bytes.ToArray(), key, keyId, ct);
}
