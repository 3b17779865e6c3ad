using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Modules.Committee.Tests.Support;

/// <summary>
/// IObjectProofs for one test node with the federation's own eddsa-jcs-2022 proofs: each actor of the node (the node
/// actor, each dataset actor) has its Ed25519 key; a check fetches the signer's public key from its actor document
/// over real HTTP (<see cref="CommitteeNetwork"/>) and requires the proof's key to be that actor's own.
/// </summary>
public sealed class TestProofs(CommitteeNetwork network, string node, TimeProvider clock) : IObjectProofs
{
    public string ActorOf(string? datasetSlug) => datasetSlug is null ? network.NodeActor(node) : network.DatasetActor(node, datasetSlug);

    public JsonElement Sign(string? datasetSlug, JsonElement document) => SignAs(ActorOf(datasetSlug), network.KeyOf(ActorOf(datasetSlug)), document, clock);

    /// <summary>Signs <paramref name="document"/> with <paramref name="key"/> in the name of <paramref name="actor"/> (a forger passes another's name).</summary>
    public static JsonElement SignAs(string actor, Ed25519SigningKey key, JsonElement document, TimeProvider clock)
    {
        var obj = JsonNode.Parse(document.GetRawText())!.AsObject();
        obj.Remove("proof");
        obj["proof"] = EddsaJcs2022Cryptosuite.CreateProof(obj, key, new DataIntegrityProofOptions(actor + "#ed25519-key", clock.GetUtcNow()));
        return JsonSerializer.SerializeToElement<JsonNode>(obj);
    }

    public async Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct)
    {
        if (document.ValueKind != JsonValueKind.Object || JsonNode.Parse(document.GetRawText()) is not JsonObject obj) return ProofCheck.Fail("malformed_proof");
        if (obj["proof"] is not JsonObject proof) return ProofCheck.Fail("missing_proof");
        var method = proof["verificationMethod"]?.GetValue<string>() ?? "";
        if (!method.StartsWith(actorUri + "#", StringComparison.Ordinal)) return ProofCheck.Fail("unknown_key", method);
        ActorKey? actor;
        try { actor = await network.Http.GetFromJsonAsync<ActorKey>(actorUri, ct); }
        catch (HttpRequestException) { return ProofCheck.Fail("actor_unreachable"); }
        var key = Ed25519VerificationKey.FromRawPublicKey(Convert.FromBase64String(actor!.Key));
        var result = EddsaJcs2022Cryptosuite.Verify(obj, key);
        return result.IsValid ? ProofCheck.Ok(method) : ProofCheck.Fail(SnakeCase(result.Failure!.Value.ToString()), method);
    }

    public sealed record ActorKey(string Id, string Key);

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
