using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    // The keys read from one fetched actor document, by verification method: a backfill page checks two proofs per record
    // against the same document, and reading the document and decoding the key each time cost as much as the canonical
    // form. Keyed by the fetched instance, so a refetch (a key rotation) starts afresh and a forgotten actor frees its keys.
    private readonly ConditionalWeakTable<RemoteActor, ConcurrentDictionary<string, Ed25519VerificationKey?>> _keys = new();

    public Task<ProofVerificationResult> VerifyAsync(JsonObject document, string actorUri, CancellationToken ct) =>
        VerifyAsync(actorUri, key => EddsaJcs2022Cryptosuite.VerifyAsync(document, key, ct));

    /// <summary>The same check on a parsed document, without making it a mutable copy.</summary>
    public Task<ProofVerificationResult> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct) =>
        VerifyAsync(document, default, actorUri, ct);

    /// <summary>The same check on an item of a collection page, which inherits the page's <paramref name="inheritedContext"/> when it has none.</summary>
    public Task<ProofVerificationResult> VerifyAsync(JsonElement document, JsonElement inheritedContext, string actorUri, CancellationToken ct) =>
        VerifyAsync(actorUri, key => EddsaJcs2022Cryptosuite.VerifyAsync(document, inheritedContext, key, ct));

    private async Task<ProofVerificationResult> VerifyAsync(string actorUri, Func<Func<string, CancellationToken, Task<Ed25519VerificationKey?>>, Task<ProofVerificationResult>> verify)
    {
        var resolve = KeyOf(actorUri);
        var result = await verify(resolve);
        if (result.IsValid || result.Failure is ProofVerificationFailure.MissingProof or ProofVerificationFailure.MalformedProof) return result;
        // Checked again whether or not this call refreshed the actor: the items of a backfill page are checked at the same
        // time, and another one may have just fetched the rotated keys (then this Refresh is refused as too soon).
        actors.Refresh(new Uri(actorUri));
        return await verify(resolve);
    }

    private Func<string, CancellationToken, Task<Ed25519VerificationKey?>> KeyOf(string actorUri) => async (method, token) =>
    {
        // The key must belong to the actor that published the document.
        if (!method.StartsWith(actorUri + "#", StringComparison.Ordinal)) return null;
        var actor = await actors.FetchAsync(new Uri(actorUri), token);
        return _keys.GetOrCreateValue(actor).GetOrAdd(method, m => ReadKey(actor, actorUri, m));
    };

    private static Ed25519VerificationKey? ReadKey(RemoteActor actor, string actorUri, string method)
    {
        if (!RemoteActorDocument.TryRead(actor.Document, out var doc, out _)) return null;
        var key = doc!.FindAssertionMethod(method);
        if (key is null || (key.Controller is { } c && c != actorUri)) return null;
        try { return Multikey.ToVerificationKey(key.PublicKeyMultibase); }
        catch (Exception e) when (e is FormatException or ArgumentException) { return null; }
    }

    /// <summary>The JSON of an element as a mutable node (proof checks work on JsonObject).</summary>
    public static JsonObject? AsObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? JsonNode.Parse(element.GetRawText()) as JsonObject : null;
}
