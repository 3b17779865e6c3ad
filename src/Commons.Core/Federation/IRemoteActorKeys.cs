namespace Commons.Core.Federation;

/// <summary>
/// The RSA public keys (SPKI PEM) a remote actor publishes on its actor document (<c>publicKey</c>), read the way the
/// federation layer reads actors (signed GET, guarded outgoing HTTP, cached). For a module that checks what another
/// node signed with its RSA key outside an HTTP signature — the employers' group's XMLDSig statements — so the check
/// proves who signed (the key the node publishes), not only that the document is whole.
/// Throws <see cref="Errors.OriginUnreachableException"/> when the actor cannot be fetched or is not an actor.
/// </summary>
public interface IRemoteActorKeys
{
    Task<IReadOnlyList<string>> RsaPublicPemsAsync(string actorUri, CancellationToken ct);
}
