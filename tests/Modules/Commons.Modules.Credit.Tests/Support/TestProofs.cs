using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// The Ed25519 keys of every actor of a test network, with real eddsa-jcs-2022 proofs (the federation's own
/// cryptosuite). Looking up an actor's key stands in for fetching its actor document: a proof whose key is not one of
/// the named actor's own is <c>unknown_key</c>, as the node's verifier says.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, Ed25519SigningKey> _keys = [];
    private readonly Lock _gate = new();

    public Ed25519SigningKey KeyOf(string actor)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(actor, out var key)) _keys[actor] = key = Ed25519SigningKey.Generate();
            return key;
        }
    }

    public JsonObject Sign(string actor, JsonObject document)
    {
        document.Remove("proof");
        document["proof"] = EddsaJcs2022Cryptosuite.CreateProof(document, KeyOf(actor), new DataIntegrityProofOptions(actor + "#ed25519-key", CreditNode.Start));
        return document;
    }

    public async Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct)
    {
        if (JsonNode.Parse(document.GetRawText()) is not JsonObject obj) return ProofCheck.Fail("malformed_proof");
        var result = await EddsaJcs2022Cryptosuite.VerifyAsync(obj, (method, _) =>
            Task.FromResult(method == actorUri + "#ed25519-key" ? KeyOf(actorUri).PublicKey : null), ct);
        return result.IsValid ? ProofCheck.Ok(result.VerificationMethod!)
            : ProofCheck.Fail(string.Concat(result.Failure!.Value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())), result.VerificationMethod);
    }
}

/// <summary>One node's <see cref="IObjectProofs"/>: its actor and its datasets' actors (<c>{origin}/datasets/{slug}</c>) sign with the ring's keys.</summary>
public sealed class TestProofs(KeyRing ring, string nodeActor) : IObjectProofs
{
    private readonly string _origin = new Uri(nodeActor).GetLeftPart(UriPartial.Authority);

    public string ActorOf(string? datasetSlug) => datasetSlug is null ? nodeActor : $"{_origin}/datasets/{datasetSlug}";

    public JsonElement Sign(string? datasetSlug, JsonElement document) =>
        JsonSerializer.SerializeToElement<JsonNode>(ring.Sign(ActorOf(datasetSlug), (JsonObject)JsonNode.Parse(document.GetRawText())!));

    public Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct) => ring.VerifyAsync(document, actorUri, ct);
}
