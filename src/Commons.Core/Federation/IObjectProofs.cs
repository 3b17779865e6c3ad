using System.Text.Json;

namespace Commons.Core.Federation;

/// <summary>
/// FEP-8b32 proofs (eddsa-jcs-2022) for what a module signs or checks on its own: a balance statement, a tally, a
/// ballot kept from a request. Signing uses the current Ed25519 key of one of our actors; checking fetches the named
/// actor's document and requires the proof's key to be one of that actor's own.
/// </summary>
public interface IObjectProofs
{
    /// <summary>
    /// <paramref name="document"/> (a JSON object) with a proof by our dataset actor <paramref name="datasetSlug"/>, or by
    /// the node actor when null; any proof it had is replaced.
    /// </summary>
    JsonElement Sign(string? datasetSlug, JsonElement document);

    /// <summary>The actor URL that signs for <paramref name="datasetSlug"/> (the node actor when null).</summary>
    string ActorOf(string? datasetSlug);

    /// <summary>Checks the proof on <paramref name="document"/> against the keys <paramref name="actorUri"/> publishes.</summary>
    Task<ProofCheck> VerifyAsync(JsonElement document, string actorUri, CancellationToken ct);
}

/// <summary>A proof's check: valid with the key that signed, or the reason it is not (<c>bad_signature</c>, <c>missing_proof</c>, …).</summary>
public sealed record ProofCheck(bool Valid, string? KeyId, string? Failure)
{
    public static ProofCheck Ok(string keyId) => new(true, keyId, null);
    public static ProofCheck Fail(string failure, string? keyId = null) => new(false, keyId, failure);
}
