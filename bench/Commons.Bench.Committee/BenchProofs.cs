using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Bench.Committee;

/// <summary>
/// IObjectProofs over the federation's own eddsa-jcs-2022 proofs, with every actor's key in memory: what a recount
/// costs once the voters' actor documents are cached (the node caches them), without the network.
/// </summary>
public sealed class BenchProofs(TimeProvider clock) : IObjectProofs
{
    public const string Coordinator = "https://coordinator.example";
    public Dictionary<string, Ed25519SigningKey> Keys { get; } = new(StringComparer.Ordinal);

    public string ActorOf(string? datasetSlug) => datasetSlug is null ? $"{Coordinator}/actor" : $"{Coordinator}/datasets/{datasetSlug}";

    public JsonElement Sign(string? datasetSlug, JsonElement document) => SignAs(ActorOf(datasetSlug), document);

    public JsonElement SignAs(string actor, JsonElement document)
    {
        if (!Keys.TryGetValue(actor, out var key)) Keys[actor] = key = Ed25519SigningKey.Generate();
        var obj = JsonNode.Parse(document.GetRawText())!.AsObject();
        obj.Remove("proof");
        obj["proof"] = EddsaJcs2022Cryptosuite.CreateProof(obj, key, new DataIntegrityProofOptions(actor + "#ed25519-key", clock.GetUtcNow()));
        return JsonSerializer.SerializeToElement<JsonNode>(obj);
    }

    public Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct)
    {
        if (JsonNode.Parse(document.GetRawText()) is not JsonObject obj || !Keys.TryGetValue(actorUri, out var key))
            return Task.FromResult(ProofCheck.Fail("unknown_key"));
        if (obj["proof"]?["verificationMethod"]?.GetValue<string>() is not { } method || !method.StartsWith(actorUri + "#", StringComparison.Ordinal))
            return Task.FromResult(ProofCheck.Fail("unknown_key"));
        var result = EddsaJcs2022Cryptosuite.Verify(obj, key.PublicKey);
        return Task.FromResult(result.IsValid ? ProofCheck.Ok(method) : ProofCheck.Fail("bad_signature", method));
    }
}
