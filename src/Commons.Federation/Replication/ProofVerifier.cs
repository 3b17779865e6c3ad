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
/// is fetched once more, in case its keys were rotated.
/// </summary>
public sealed class ProofVerifier(RemoteActorFetcher actors)
{
    public async Task<ProofVerificationResult> VerifyAsync(JsonObject document, string actorUri, CancellationToken ct)
    {
        var result = await VerifyOnceAsync(document, actorUri, ct);
        if (result.IsValid || result.Failure is ProofVerificationFailure.MissingProof or ProofVerificationFailure.MalformedProof) return result;
        return actors.Refresh(new Uri(actorUri)) ? await VerifyOnceAsync(document, actorUri, ct) : result;
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
