using System.Globalization;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Services;

/// <summary>
/// The matcher's index over every listing we may match against (our replicas, and other organisations' listings in
/// our offers datasets), kept between views of the matches: building it is most of a view's cost (bench/README.md,
/// "Map matcher"). It is built again when what it was built from changes: the newest replica change received, the
/// accepted subscriptions, or the change feed of an offers dataset (its last sequence number, a version counter the
/// store keeps for every write). Expiry needs no rebuild: the index judges it at each query's "now".
/// </summary>
public sealed class MatchIndexCache(MapDirectory directory, ISubscriptionStore subscriptions, IReplicaStore replicas, IChangeFeed feed)
{
    private readonly Lock _gate = new();
    private (string Version, MatchIndex Index)? _kept;

    /// <summary>How many times the index was built (the other views used the kept one).</summary>
    public int Builds { get; private set; }

    /// <summary>The index for what the node holds now: the kept one while nothing it was built from changed.</summary>
    public MatchIndex Current(Func<IEnumerable<Listing>> candidates)
    {
        var version = Version();
        if (_kept is { } kept && kept.Version == version) return kept.Index;
        lock (_gate)
        {
            if (_kept is { } again && again.Version == version) return again.Index;
            var index = new MatchIndex(candidates());
            _kept = (version, index);
            Builds++;
            return index;
        }
    }

    /// <summary>What the index depends on, in a few reads: no listing is read to know whether it changed.</summary>
    internal string Version()
    {
        var newest = replicas.RecentlyReceived(1).FirstOrDefault();
        var accepted = subscriptions.List().Where(s => s.State == SubscriptionState.Accepted).Select(s => s.Id).Order(StringComparer.Ordinal);
        var ours = directory.OfferDatasets().Select(d => $"{d.Key.ToString(CultureInfo.InvariantCulture)}:{feed.LastSeq(d.Key).ToString(CultureInfo.InvariantCulture)}");
        return string.Join('|', [
            newest is null ? "" : $"{newest.SubscriptionId}/{newest.RecordId}/{newest.Revision.ToString(CultureInfo.InvariantCulture)}/{newest.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}",
            string.Join(',', accepted),
            string.Join(',', ours),
        ]);
    }
}
