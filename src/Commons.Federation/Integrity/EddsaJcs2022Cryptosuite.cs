using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Integrity;

/// <summary>
/// FEP-8b32 Object Integrity Proofs with the W3C vc-di-eddsa cryptosuite <c>eddsa-jcs-2022</c>:
/// hash = SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document)), signed with Ed25519,
/// proofValue = multibase base58btc of the signature.
/// </summary>
public static class EddsaJcs2022Cryptosuite
{
    public const string ProofType = "DataIntegrityProof";
    public const string CryptosuiteName = "eddsa-jcs-2022";
    private const string ContextKey = "@context";

    /// <summary>Returns a copy of <paramref name="unsecuredDocument"/> with a <c>proof</c> member added.</summary>
    public static JsonObject Sign(JsonObject unsecuredDocument, Ed25519SigningKey key, DataIntegrityProofOptions options)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        if (unsecuredDocument.ContainsKey("proof"))
        {
            throw new ArgumentException("The document already has a proof.", nameof(unsecuredDocument));
        }
        var secured = (JsonObject)unsecuredDocument.DeepClone();
        secured["proof"] = CreateProof(unsecuredDocument, key, options);
        return secured;
    }

    /// <summary>Creates the proof object (vc-di-eddsa §3.3.1) for <paramref name="unsecuredDocument"/>.</summary>
    public static JsonObject CreateProof(JsonObject unsecuredDocument, Ed25519SigningKey key, DataIntegrityProofOptions options) =>
        CreateProof(unsecuredDocument, key, options, out _);

    /// <summary><see cref="CreateProof(JsonObject, Ed25519SigningKey, DataIntegrityProofOptions)"/>, also giving the raw signature
    /// (what <see cref="ProofOf"/> needs to write the same proof again).</summary>
    public static JsonObject CreateProof(JsonObject unsecuredDocument, Ed25519SigningKey key, DataIntegrityProofOptions options, out byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var proofConfig = ProofConfig(unsecuredDocument, options);
        signature = key.Sign(HttpSignatureAlgorithm.Ed25519, HashData(proofConfig, unsecuredDocument));
        return WithValue(proofConfig, signature);
    }

    /// <summary>
    /// The proof a signature made earlier over the same document and options: the same members <see cref="CreateProof(JsonObject, Ed25519SigningKey, DataIntegrityProofOptions)"/>
    /// writes, without hashing or signing. Whether <paramref name="signature"/> was made over this very document is the caller's to know.
    /// </summary>
    public static JsonObject ProofOf(JsonObject unsecuredDocument, DataIntegrityProofOptions options, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        ArgumentNullException.ThrowIfNull(options);
        return WithValue(ProofConfig(unsecuredDocument, options), signature);
    }

    private static JsonObject ProofConfig(JsonObject unsecuredDocument, DataIntegrityProofOptions options)
    {
        var proofConfig = new JsonObject();
        if (unsecuredDocument[ContextKey] is { } context)
        {
            proofConfig[ContextKey] = context.DeepClone();
        }
        proofConfig["type"] = ProofType;
        proofConfig["cryptosuite"] = CryptosuiteName;
        proofConfig["verificationMethod"] = options.VerificationMethod;
        proofConfig["proofPurpose"] = options.ProofPurpose;
        proofConfig["created"] = FormatDateTime(options.Created);
        return proofConfig;
    }

    /// <summary>The proof: the config with proofValue before created; the config's nodes move over rather than being copied.</summary>
    private static JsonObject WithValue(JsonObject proofConfig, byte[] signature)
    {
        var members = proofConfig.ToList();
        proofConfig.Clear();
        var proof = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (name == "created")
            {
                proof["proofValue"] = Multibase.EncodeBase58Btc(signature);
            }
            proof[name] = value;
        }
        return proof;
    }

    /// <summary>Verifies the document's proof with a known key.</summary>
    public static ProofVerificationResult Verify(JsonObject securedDocument, Ed25519VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prepared = Prepare(securedDocument);
        return prepared.Failure ?? Check(prepared, key);
    }

    /// <summary>
    /// Verifies the document's proof (vc-di-eddsa §3.3.2), resolving the key from the proof's
    /// verificationMethod. Checking that the key's controller may speak for the document (FEP-8b32,
    /// "Verifying the identity") is the caller's job.
    /// </summary>
    public static async Task<ProofVerificationResult> VerifyAsync(
        JsonObject securedDocument,
        Func<string, CancellationToken, Task<Ed25519VerificationKey?>> resolveKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolveKey);
        var prepared = Prepare(securedDocument);
        if (prepared.Failure is not null)
        {
            return prepared.Failure;
        }
        var key = await resolveKey(prepared.VerificationMethod!, cancellationToken).ConfigureAwait(false);
        return key is null
            ? ProofVerificationResult.Fail(ProofVerificationFailure.UnknownKey, $"No key for '{prepared.VerificationMethod}'.", prepared.VerificationMethod)
            : Check(prepared, key);
    }

    /// <summary>
    /// <see cref="Verify(JsonObject, Ed25519VerificationKey)"/> on a parsed document, without making it a mutable copy:
    /// the unsecured document and the proof options are canonicalised straight from <paramref name="securedDocument"/>.
    /// </summary>
    public static ProofVerificationResult Verify(JsonElement securedDocument, Ed25519VerificationKey key) => Verify(securedDocument, default, key);

    /// <summary>
    /// <see cref="Verify(JsonElement, Ed25519VerificationKey)"/> on an item of a collection page, which inherits the page's
    /// <paramref name="inheritedContext"/> when it has no @context of its own (default: none).
    /// </summary>
    public static ProofVerificationResult Verify(JsonElement securedDocument, JsonElement inheritedContext, Ed25519VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prepared = ProofOfElement.Prepare(securedDocument, inheritedContext);
        return prepared.Failure ?? prepared.Check(key);
    }

    /// <summary><see cref="VerifyAsync(JsonObject, Func{string, CancellationToken, Task{Ed25519VerificationKey?}}, CancellationToken)"/> on a parsed document.</summary>
    public static Task<ProofVerificationResult> VerifyAsync(
        JsonElement securedDocument,
        Func<string, CancellationToken, Task<Ed25519VerificationKey?>> resolveKey,
        CancellationToken cancellationToken = default) =>
        VerifyAsync(securedDocument, default, resolveKey, cancellationToken);

    /// <summary>The same on an item of a collection page that inherits <paramref name="inheritedContext"/> (see <see cref="Verify(JsonElement, JsonElement, Ed25519VerificationKey)"/>).</summary>
    public static async Task<ProofVerificationResult> VerifyAsync(
        JsonElement securedDocument,
        JsonElement inheritedContext,
        Func<string, CancellationToken, Task<Ed25519VerificationKey?>> resolveKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolveKey);
        var prepared = ProofOfElement.Prepare(securedDocument, inheritedContext);
        if (prepared.Failure is not null)
        {
            return prepared.Failure;
        }
        var key = await resolveKey(prepared.VerificationMethod!, cancellationToken).ConfigureAwait(false);
        return key is null
            ? ProofVerificationResult.Fail(ProofVerificationFailure.UnknownKey, $"No key for '{prepared.VerificationMethod}'.", prepared.VerificationMethod)
            : prepared.Check(key);
    }

    private static ProofVerificationResult Check(PreparedProof prepared, Ed25519VerificationKey key)
    {
        byte[] hash;
        try
        {
            hash = HashData(prepared.ProofOptions!, prepared.UnsecuredDocument!);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return ProofVerificationResult.Fail(ProofVerificationFailure.MalformedProof, e.Message, prepared.VerificationMethod);
        }
        return key.Verify(HttpSignatureAlgorithm.Ed25519, hash, prepared.Signature)
            ? ProofVerificationResult.Success(prepared.VerificationMethod!)
            : ProofVerificationResult.Fail(ProofVerificationFailure.BadSignature, "The proof value does not verify.", prepared.VerificationMethod);
    }

    /// <summary>Steps 1–4 of proof verification: split proof and document, decode the value, check @context.</summary>
    private static PreparedProof Prepare(JsonObject securedDocument)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        if (securedDocument["proof"] is not { } proofNode)
        {
            return PreparedProof.Failed(ProofVerificationFailure.MissingProof, "The document has no proof.");
        }
        if (proofNode is not JsonObject proof)
        {
            return PreparedProof.Failed(ProofVerificationFailure.MalformedProof, "Only a single proof object is supported.");
        }
        var type = GetString(proof, "type");
        var cryptosuite = GetString(proof, "cryptosuite");
        var verificationMethod = GetString(proof, "verificationMethod");
        var proofValue = GetString(proof, "proofValue");
        if (type != ProofType || cryptosuite != CryptosuiteName)
        {
            return PreparedProof.Failed(ProofVerificationFailure.UnsupportedCryptosuite, $"Proof is {type}/{cryptosuite}.", verificationMethod);
        }
        if (verificationMethod is null || proofValue is null || GetString(proof, "proofPurpose") is null)
        {
            return PreparedProof.Failed(ProofVerificationFailure.MalformedProof, "The proof lacks verificationMethod, proofPurpose or proofValue.", verificationMethod);
        }
        if (GetString(proof, "created") is { } created && !IsDateTimeStamp(created))
        {
            return PreparedProof.Failed(ProofVerificationFailure.MalformedProof, $"created '{created}' is not a date-time.", verificationMethod);
        }
        byte[] signature;
        try
        {
            signature = Multibase.DecodeBase58Btc(proofValue);
        }
        catch (FormatException e)
        {
            return PreparedProof.Failed(ProofVerificationFailure.MalformedProof, e.Message, verificationMethod);
        }

        var unsecured = (JsonObject)securedDocument.DeepClone();
        unsecured.Remove("proof");
        var proofOptions = (JsonObject)proof.DeepClone();
        proofOptions.Remove("proofValue");
        if (proofOptions[ContextKey] is { } proofContext)
        {
            if (!ContextStartsWith(unsecured[ContextKey], proofContext))
            {
                return PreparedProof.Failed(ProofVerificationFailure.ContextMismatch, "The document's @context does not start with the proof's.", verificationMethod);
            }
            unsecured[ContextKey] = proofContext.DeepClone();
        }
        return new PreparedProof(null, verificationMethod, unsecured, proofOptions, signature);
    }

    private sealed record PreparedProof(
        ProofVerificationResult? Failure,
        string? VerificationMethod,
        JsonObject? UnsecuredDocument,
        JsonObject? ProofOptions,
        byte[] Signature)
    {
        public static PreparedProof Failed(ProofVerificationFailure failure, string detail, string? verificationMethod = null) =>
            new(ProofVerificationResult.Fail(failure, detail, verificationMethod), verificationMethod, null, null, []);
    }

    /// <summary>SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document)) (vc-di-eddsa §3.3.4).</summary>
    public static byte[] HashData(JsonObject proofConfig, JsonObject document)
    {
        var hash = new byte[64];
        JsonCanonicalizer.HashSha256(proofConfig, hash.AsSpan(0, 32));
        JsonCanonicalizer.HashSha256(document, hash.AsSpan(32, 32));
        return hash;
    }

    /// <summary>XML Schema dateTimeStamp in UTC with second precision, e.g. 2023-02-24T23:36:38Z.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static bool IsDateTimeStamp(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
        && (value.EndsWith('Z') || value.Length > 6 && value[^6] is '+' or '-');

    private static bool ContextStartsWith(JsonNode? documentContext, JsonNode proofContext)
    {
        var document = AsList(documentContext);
        var proof = AsList(proofContext);
        return proof.Count <= document.Count && proof.Select((p, i) => JsonNode.DeepEquals(p, document[i])).All(x => x);
    }

    private static List<JsonNode?> AsList(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array],
        _ => [node],
    };

    private static string? GetString(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
