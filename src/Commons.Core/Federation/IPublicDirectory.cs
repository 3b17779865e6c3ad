using System.Text.Json;

namespace Commons.Core.Federation;

/// <summary>A public dataset another node lists: its actor URL, its kind (<c>map.profile</c>; <c>custom</c> when it has none) and its outbox.</summary>
public sealed record PublicDataset(string Actor, string Kind, string Outbox);

/// <summary>One record of a public dataset as its owner publishes it (the fields it keeps home already left out).</summary>
public sealed record PublicRecord(string Id, JsonElement Data);

/// <summary>Why reading a remote node's public data failed, in words a log or an administrator reads.</summary>
public enum PublicFetchFailure
{
    /// <summary>Not reachable: refused address or domain, network error, timeout, an error status.</summary>
    Unreachable,
    /// <summary>The address answers but is no Commons node (no NodeInfo, or no public listing in it).</summary>
    NotANode,
    /// <summary>A document is not what the protocol says (not JSON, wrong shape).</summary>
    Malformed,
    /// <summary>A document is larger than the cap.</summary>
    TooLarge,
    /// <summary>The caller's gate refused the fetch (the run's cap is reached).</summary>
    Stopped,
}

/// <summary>Reading a remote node's public data failed; nothing was read.</summary>
public sealed class PublicFetchException(PublicFetchFailure failure, string reason, Exception? inner = null) : Exception(reason, inner)
{
    public PublicFetchFailure Failure { get; } = failure;
}

/// <summary>
/// Asked before each HTTP request a <see cref="IPublicDirectory"/> sends, with its URL: it may wait (a rate limit per
/// host) or throw <see cref="PublicFetchException"/> with <see cref="PublicFetchFailure.Stopped"/> (a cap per run).
/// </summary>
public interface IFetchGate
{
    Task EnterAsync(Uri url, CancellationToken ct);
}

/// <summary>
/// What any node publishes to anyone, read the way anyone reads it: unsigned GETs, so a remote node never answers more
/// than its public data (a dataset that is private, for followers or for named peers is not listed, and its outbox
/// answers an unsigned fetch with 404). Every request goes through the node's guarded outgoing HTTP (addresses and
/// domains checked, size capped, timed out, https only unless the node allows loopback peers). Failures throw
/// <see cref="PublicFetchException"/>.
/// </summary>
public interface IPublicDirectory
{
    /// <summary>
    /// The public datasets of kind <paramref name="kind"/> on the node at <paramref name="node"/> (its address, or any
    /// URL on its host: a website or an actor), found through its NodeInfo.
    /// </summary>
    Task<IReadOnlyList<PublicDataset>> DatasetsAsync(Uri node, string kind, IFetchGate gate, CancellationToken ct);

    /// <summary>Whether <paramref name="url"/> is on this node's own host (a relationship naming us).</summary>
    bool IsThisNode(Uri url);

    /// <summary>The first <paramref name="max"/> records of a public dataset, from its outbox (one page); deleted ones left out.</summary>
    Task<IReadOnlyList<PublicRecord>> RecordsAsync(PublicDataset dataset, int max, IFetchGate gate, CancellationToken ct);
}
