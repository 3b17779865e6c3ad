namespace Commons.Federation.Integrity;

public enum ProofVerificationFailure
{
    MissingProof,
    MalformedProof,
    UnsupportedCryptosuite,
    ContextMismatch,
    UnknownKey,
    BadSignature,
}

/// <summary>Outcome of verifying an Object Integrity Proof.</summary>
public sealed record ProofVerificationResult(ProofVerificationFailure? Failure, string? VerificationMethod, string? Detail)
{
    public bool IsValid => Failure is null;

    public static ProofVerificationResult Success(string verificationMethod) => new(null, verificationMethod, null);

    public static ProofVerificationResult Fail(ProofVerificationFailure failure, string detail, string? verificationMethod = null) =>
        new(failure, verificationMethod, detail);
}
