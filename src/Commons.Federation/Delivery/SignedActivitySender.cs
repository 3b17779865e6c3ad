using Commons.Federation.Http;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Delivery;

/// <summary>Delivers through <see cref="SignedHttpClient"/> (RFC 9421 first, draft-cavage-12 when a peer asks for it).</summary>
public sealed class SignedActivitySender(SignedHttpClient http, TimeProvider clock) : IActivitySender
{
    public Task<SendOutcome> PostAsync(Uri inbox, byte[] activityJson, SigningKey key, string keyId, CancellationToken ct) =>
        PostAsync(inbox, new DigestedBody(activityJson), key, keyId, ct);

    public async Task<SendOutcome> PostAsync(Uri inbox, DigestedBody activityJson, SigningKey key, string keyId, CancellationToken ct)
    {
        var response = await http.PostActivityAsync(inbox, activityJson, new SigningIdentity(key, keyId), ct);
        var retryAt = response.RetryAfterUntil(clock.GetUtcNow());
        return new SendOutcome((int)response.StatusCode, retryAt is { } at ? at - clock.GetUtcNow() : null, null);
    }
}
