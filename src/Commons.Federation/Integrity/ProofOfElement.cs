using System.Text.Json;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Integrity;

/// <summary>
/// Steps 1–4 of eddsa-jcs-2022 proof verification (vc-di-eddsa §3.3.2) on a <see cref="JsonElement"/>: the same checks as
/// the <c>JsonObject</c> path of <see cref="EddsaJcs2022Cryptosuite"/>, with the proof options and the unsecured document
/// canonicalised from the secured one (the proof member skipped, the proof's <c>@context</c> in place of the document's)
/// instead of from edited copies. A replica checks two proofs of every record it receives this way. An item of a collection
/// page is checked with the page's <c>@context</c> as the one it inherits (the page drops its items' own).
/// </summary>
internal sealed class ProofOfElement
{
    private const string ContextKey = "@context";

    public ProofVerificationResult? Failure { get; private init; }
    public string? VerificationMethod { get; private init; }
    private JsonElement _document;
    private JsonElement _inheritedContext;
    private JsonElement _proof;
    private byte[] _signature = [];

    /// <param name="securedDocument">The document with its proof.</param>
    /// <param name="inheritedContext">The @context of the page <paramref name="securedDocument"/> came in, taken as its own when it has none; default when none.</param>
    public static ProofOfElement Prepare(JsonElement securedDocument, JsonElement inheritedContext = default)
    {
        if (securedDocument.ValueKind != JsonValueKind.Object || !securedDocument.TryGetProperty("proof", out var proof))
        {
            return Failed(ProofVerificationFailure.MissingProof, "The document has no proof.");
        }
        if (proof.ValueKind != JsonValueKind.Object)
        {
            return Failed(ProofVerificationFailure.MalformedProof, "Only a single proof object is supported.");
        }
        var type = GetString(proof, "type");
        var cryptosuite = GetString(proof, "cryptosuite");
        var verificationMethod = GetString(proof, "verificationMethod");
        var proofValue = GetString(proof, "proofValue");
        if (type != EddsaJcs2022Cryptosuite.ProofType || cryptosuite != EddsaJcs2022Cryptosuite.CryptosuiteName)
        {
            return Failed(ProofVerificationFailure.UnsupportedCryptosuite, $"Proof is {type}/{cryptosuite}.", verificationMethod);
        }
        if (verificationMethod is null || proofValue is null || GetString(proof, "proofPurpose") is null)
        {
            return Failed(ProofVerificationFailure.MalformedProof, "The proof lacks verificationMethod, proofPurpose or proofValue.", verificationMethod);
        }
        if (GetString(proof, "created") is { } created && !EddsaJcs2022Cryptosuite.IsDateTimeStamp(created))
        {
            return Failed(ProofVerificationFailure.MalformedProof, $"created '{created}' is not a date-time.", verificationMethod);
        }
        byte[] signature;
        try
        {
            signature = Multibase.DecodeBase58Btc(proofValue);
        }
        catch (FormatException e)
        {
            return Failed(ProofVerificationFailure.MalformedProof, e.Message, verificationMethod);
        }
        if (proof.TryGetProperty(ContextKey, out var proofContext))
        {
            var documentContext = securedDocument.TryGetProperty(ContextKey, out var c) ? c : inheritedContext;
            if (!ContextStartsWith(documentContext, proofContext))
            {
                return Failed(ProofVerificationFailure.ContextMismatch, "The document's @context does not start with the proof's.", verificationMethod);
            }
        }
        var inherited = securedDocument.TryGetProperty(ContextKey, out _) ? default : inheritedContext;
        return new ProofOfElement { VerificationMethod = verificationMethod, _document = securedDocument, _inheritedContext = inherited, _proof = proof, _signature = signature };
    }

    /// <summary>Steps 5–7: hash the proof options and the unsecured document, verify the signature.</summary>
    public ProofVerificationResult Check(Ed25519VerificationKey key)
    {
        var hash = new byte[64];
        try
        {
            JsonCanonicalizer.HashObjectSha256(_proof, "proofValue", hash.AsSpan(0, 32));
            if (_proof.TryGetProperty(ContextKey, out var proofContext)) HashUnsecuredWithContext(proofContext, hash.AsSpan(32, 32));
            else if (_inheritedContext.ValueKind != JsonValueKind.Undefined) JsonCanonicalizer.HashObjectWithContextSha256(_document, "proof", _inheritedContext, hash.AsSpan(32, 32));
            else JsonCanonicalizer.HashObjectSha256(_document, "proof", hash.AsSpan(32, 32));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return ProofVerificationResult.Fail(ProofVerificationFailure.MalformedProof, e.Message, VerificationMethod);
        }
        return key.Verify(HttpSignatureAlgorithm.Ed25519, hash, _signature)
            ? ProofVerificationResult.Success(VerificationMethod!)
            : ProofVerificationResult.Fail(ProofVerificationFailure.BadSignature, "The proof value does not verify.", VerificationMethod);
    }

    /// <summary>The unsecured document with the proof's @context as its own (the document's may extend it).</summary>
    private void HashUnsecuredWithContext(JsonElement proofContext, Span<byte> destination)
    {
        if (_document.TryGetProperty(ContextKey, out _))
        {
            JsonCanonicalizer.HashObjectSha256(_document, "proof", destination, replace: ContextKey, replacement: proofContext);
            return;
        }
        // No @context of its own (an item of a page, or an empty proof @context): the proof's is written in, as the JsonObject path adds the member.
        JsonCanonicalizer.HashObjectWithContextSha256(_document, "proof", proofContext, destination);
    }

    private static ProofOfElement Failed(ProofVerificationFailure failure, string detail, string? verificationMethod = null) =>
        new() { Failure = ProofVerificationResult.Fail(failure, detail, verificationMethod), VerificationMethod = verificationMethod };

    private static bool ContextStartsWith(JsonElement documentContext, JsonElement proofContext)
    {
        var document = AsList(documentContext);
        var proof = AsList(proofContext);
        if (proof.Count > document.Count) return false;
        for (var i = 0; i < proof.Count; i++)
            if (!JsonElement.DeepEquals(proof[i], document[i])) return false;
        return true;
    }

    private static List<JsonElement> AsList(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => [],
        JsonValueKind.Array => [.. element.EnumerateArray()],
        _ => [element],
    };

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
