namespace Commons.Core.Federation;

/// <summary>
/// An actor's key pairs: RSA-2048 for HTTP Signatures, Ed25519 for object proofs. Private parts never leave the node.
/// A rotation starts a new generation; the retired public keys are kept, and the Ed25519 ones stay published under
/// their own key ids for a grace period so earlier proofs keep verifying.
/// </summary>
public sealed record ActorKeys
{
    /// <summary>"_node" or a dataset slug.</summary>
    public required string Actor { get; init; }
    public required byte[] RsaPrivatePkcs8 { get; init; }
    public required string RsaPublicPem { get; init; }
    public required byte[] Ed25519Seed { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Grows with each rotation from 1; part of every key id after the first generation, so an id never names two keys.</summary>
    public int Generation { get; init; } = 1;
    public IReadOnlyList<RetiredKey> Retired { get; init; } = [];
}

/// <summary>A replaced key pair's public halves, still published for a grace period so older proofs keep verifying.</summary>
public sealed record RetiredKey(int Generation, string RsaPublicPem, string? Ed25519PublicMultikey, DateTimeOffset RetiredAt);

public interface IActorKeyStore
{
    ActorKeys? Find(string actor);
    void Save(ActorKeys keys);
}
