using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Replication;

/// <summary>
/// Checks a FEP-8b32 proof on something a remote dataset published: the proof's key must be one of the actor's own
/// (<c>{actor}#…</c>, listed in its <c>assertionMethod</c>) and the signature must verify. After a failure the actor
/// is fetched once more (at most every <c>MinRefreshInterval</c>), in case its keys were rotated, and the proof checked again.
/// </summary>
public sealed class ProofVerifier(RemoteActorFetcher actors)
{
    public async Task<ProofVerificationResult> VerifyAsync(JsonObject document, string actorUri, CancellationToken ct)
    {
        var result = await VerifyOnceAsync(document, actorUri, ct);
        if (result.IsValid || result.Failure is ProofVerificationFailure.MissingProof or ProofVerificationFailure.MalformedProof) return result;
        // Checked again whether or not this call refreshed the actor: the items of a backfill page are checked at the same
        // time, and another one may have just fetched the rotated keys (then this Refresh is refused as too soon).
        actors.Refresh(new Uri(actorUri));
        return await VerifyOnceAsync(document, actorUri, ct);
    }

    private Task<ProofVerificationResult> VerifyOnceAsync(JsonObject document, string actorUri, CancellationToken ct) =>
        EddsaJcs2022Cryptosuite.VerifyAsync(document, async (method, token) =>
        {
            // The key must belong to the actor that published the document.
            if (!method.StartsWith(actorUri + "#", StringComparison.Ordinal)) return null;
            var actor = await actors.FetchAsync(new Uri(actorUri), token);
            if (!RemoteActorDocument.TryRead(actor.Document, out var doc, out _)) return null;
            var key = doc!.FindAssertionMethod(method);
            if (key is null || (key.Controller is { } c && c != actorUri)) return null;
            try { return Multikey.ToVerificationKey(key.PublicKeyMultibase); }
            catch (Exception e) when (e is FormatException or ArgumentException) { return null; }
        }, ct);

    /// <summary>The JSON of an element as a mutable node (proof checks work on JsonObject).</summary>
    public static JsonObject? AsObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? JsonNode.Parse(element.GetRawText()) as JsonObject : null;
}
