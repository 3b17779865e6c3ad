using System.Globalization;
using System.Resources;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Resources;
using Commons.Platform;

namespace Commons.Modules.Map.Services;

/// <summary>One match that came through federation: our listing, the replicated one that fits it, where it is kept and when it arrived.</summary>
public sealed record ArrivedMatch(Listing Ours, Listing Theirs, string SubscriptionId, DateTimeOffset ReceivedAt);

/// <summary>
/// The map's news on the dashboard: matches for our open needs and offers that arrived through federation (a listing in
/// a replica that fits one of ours) since the member last looked at /map/matches, newest arrival first, each leading to
/// the replicated record's page. The member's "last looked" is kept in the module's documents.
/// Cheap on each dashboard view: the matches are computed once and kept until what they depend on changes — the
/// newest replica change received, the subscriptions and their states, the change feed of our offers datasets — or
/// the minute turns (an expiry may have passed); a view in between only filters the kept list for the member.
/// </summary>
public sealed class MapNews(MapService map, MapDirectory directory, IModuleStore modules, ISubscriptionStore subscriptions,
    IReplicaStore replicas, IChangeFeed feed, TimeProvider clock)
{
    internal const string SeenCollection = "news-seen";
    private const string Module = "map";
    private static readonly ResourceManager Text = new(typeof(MapText));

    private readonly Lock _gate = new();
    private (string Key, IReadOnlyList<ArrivedMatch> Matches)? _kept;

    /// <summary>How many times the matches were computed (the rest of the views used the kept ones).</summary>
    public int Computed { get; private set; }

    /// <summary>The member looked at the matches page now: what arrived before is no longer news to them.</summary>
    public void Seen(Caller caller)
    {
        var at = clock.GetUtcNow();
        modules.Write(Module, data =>
        {
            data.Put(SeenCollection, caller.Username, JsonSerializer.SerializeToElement(new { at }));
            return 0;
        });
    }

    public DateTimeOffset? LastSeen(string username) =>
        modules.Read(Module, data => data.Get(SeenCollection, username) is { } doc ? doc.GetProperty("at").GetDateTimeOffset() : (DateTimeOffset?)null);

    /// <summary>The member's news: arrived since they last looked, of our listings they may see, newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ArrivedMatch> For(Caller caller, int limit = 10)
    {
        if (!caller.CanRead) return [];
        var seen = LastSeen(caller.Username);
        var visible = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool MaySee(string slug) => visible.TryGetValue(slug, out var may) ? may
            : visible[slug] = directory.Find(slug) is { } dataset && DatasetAccess.CanSee(caller, dataset);
        return Arrived()
            .Where(m => (seen is null || m.ReceivedAt > seen) && MaySee(m.Ours.Source))
            .Take(limit)
            .ToList();
    }

    /// <summary><see cref="For"/> as dashboard items, in the node's three languages.</summary>
    public IReadOnlyList<DashboardItem> Items(Caller caller) => For(caller).Select(m => new DashboardItem(
        new LocalizedText(Line(m, "fr"), Line(m, "nl"), Line(m, "en")),
        $"/subscriptions/{Uri.EscapeDataString(m.SubscriptionId)}/records/{Uri.EscapeDataString(m.Theirs.Id)}",
        m.ReceivedAt)).ToList();

    private static string Line(ArrivedMatch m, string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var format = Text.GetString(m.Ours.IsNeed ? "News_OfferFitsNeed" : "News_NeedFitsOffer", culture)!;
        return string.Format(culture, format, m.Ours.Title, m.Theirs.Organisation, m.Theirs.Title);
    }

    /// <summary>Every match that came through a replica, newest arrival first; kept while nothing it depends on changed.</summary>
    internal IReadOnlyList<ArrivedMatch> Arrived()
    {
        var accepted = subscriptions.List().Where(s => s.State == SubscriptionState.Accepted).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var key = KeyOf(accepted);
        lock (_gate)
        {
            if (_kept is { } kept && kept.Key == key) return kept.Matches;
            var matches = new List<ArrivedMatch>();
            foreach (var view in map.AllMatches(clock.GetUtcNow()))
            {
                var theirs = view.Match.Listing;
                if (!Uri.TryCreate(theirs.Source, UriKind.Absolute, out _)) continue;
                foreach (var subscription in accepted)
                    if (replicas.Get(subscription.Id, theirs.Id) is { Deleted: false } replica && replica.ObjectUri == theirs.Source)
                    {
                        matches.Add(new ArrivedMatch(view.Ours, theirs, subscription.Id, replica.ReceivedAt));
                        break;
                    }
            }
            var ordered = matches.OrderByDescending(m => m.ReceivedAt).ThenBy(m => m.Ours.Id, StringComparer.Ordinal).ToList();
            _kept = (key, ordered);
            Computed++;
            return ordered;
        }
    }

    /// <summary>What the matches depend on, in a few reads: no listing is read to know whether they changed.</summary>
    private string KeyOf(IReadOnlyList<Subscription> accepted)
    {
        var newest = replicas.RecentlyReceived(1).FirstOrDefault();
        var ours = directory.OfferDatasets().Select(d => $"{d.Key}:{feed.LastSeq(d.Key)}");
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        return string.Join('|', [
            minute.ToString(CultureInfo.InvariantCulture),
            newest is null ? "" : $"{newest.SubscriptionId}/{newest.RecordId}/{newest.Revision}/{newest.ReceivedAt.UtcTicks}",
            string.Join(',', accepted.Select(s => s.Id)),
            string.Join(',', ours),
        ]);
    }
}
