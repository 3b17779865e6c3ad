namespace Commons.Federation.Integrity;

/// <summary>What a new proof states besides its value: key reference, creation time and purpose.</summary>
public sealed record DataIntegrityProofOptions
{
    public DataIntegrityProofOptions(string verificationMethod, DateTimeOffset created, string proofPurpose = "assertionMethod")
    {
        ArgumentException.ThrowIfNullOrEmpty(verificationMethod);
        ArgumentException.ThrowIfNullOrEmpty(proofPurpose);
        VerificationMethod = verificationMethod;
        Created = created;
        ProofPurpose = proofPurpose;
    }

    /// <summary>The key's id, e.g. <c>https://server.example/users/alice#ed25519-key</c>.</summary>
    public string VerificationMethod { get; }

    public DateTimeOffset Created { get; }

    public string ProofPurpose { get; }
}
