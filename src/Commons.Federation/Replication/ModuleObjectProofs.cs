using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>Core's <see cref="IObjectProofs"/> over the proofs the federation layer signs and checks for itself.</summary>
public sealed class ModuleObjectProofs(ObjectProofs proofs, ProofVerifier verifier, ActivityUris uris) : IObjectProofs
{
    public JsonElement Sign(string? datasetSlug, JsonElement document)
    {
        var obj = ProofVerifier.AsObject(document) ?? throw new ArgumentException("only a JSON object is signed", nameof(document));
        var signed = proofs.Sign(datasetSlug ?? ActorKeyring.NodeActor, obj);
        return JsonSerializer.SerializeToElement<JsonNode>(signed);
    }

    public string ActorOf(string? datasetSlug) => datasetSlug is null ? uris.NodeActor : uris.DatasetActor(datasetSlug);

    public async Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct)
    {
        if (ProofVerifier.AsObject(document) is not { } obj) return ProofCheck.Fail("malformed_proof");
        if (!Uri.TryCreate(actorUri, UriKind.Absolute, out _)) return ProofCheck.Fail("unknown_key");
        try
        {
            var result = await verifier.VerifyAsync(obj, actorUri, ct);
            return result.IsValid ? ProofCheck.Ok(result.VerificationMethod!) : ProofCheck.Fail(SnakeCase(result.Failure!.Value.ToString()), result.VerificationMethod);
        }
        catch (Exception e) when (e is HttpRequestException or Http.FederationHttpException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The signer's actor could not be fetched: nothing proves the document, and nothing proves it forged.
            return ProofCheck.Fail("actor_unreachable");
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
