using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Statements;
using Commons.Storage.Federation;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// A credit node's month statements as the node wires them: its real RSA actor key (kept in its LiteDB store), its
/// accounts and signed history; <paramref name="published"/> stands in for the actor documents other nodes publish.
/// </summary>
public sealed class StatementSigning(CreditNode node, IReadOnlyDictionary<string, string>? published = null)
{
    public NodeSigningKey Key { get; } = new(new ActorKeyring(new LiteActorKeyStore(node.Database), node.Clock));

    public CreditAccounts Accounts { get; } = new(node.Ledgers!, node.Settlement!, node.DatasetStore, node.Gateway!);

    public CreditStatements Statements => new(Accounts, node.Ledgers!, node.Signatures!, Key, node.Clock,
        published is null ? [] : [new PublishedKeys(published)]);

    /// <summary>The RSA keys each actor's document publishes, by actor URL; an unknown actor cannot be reached.</summary>
    private sealed class PublishedKeys(IReadOnlyDictionary<string, string> keys) : IRemoteActorKeys
    {
        public Task<IReadOnlyList<string>> RsaPublicPemsAsync(string actorUri, CancellationToken ct) => keys.TryGetValue(actorUri, out var pem)
            ? Task.FromResult<IReadOnlyList<string>>([pem])
            : throw new Core.Errors.OriginUnreachableException($"cannot read the actor {actorUri}");
    }
}
