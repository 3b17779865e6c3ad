using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Services;

namespace Commons.Modules.Map.Directory;

/// <summary>One node this node knows, with its organisation's public profile when we hold one, and what ties us.</summary>
public sealed record NodeEntry
{
    /// <summary>The node's address (host[:port]); "" for this node.</summary>
    public required string Host { get; init; }
    public bool IsUs => Host == "";
    public Organisation? Profile { get; init; }
    /// <summary>Datasets of that node we follow (accepted).</summary>
    public int WeFollow { get; init; }
    /// <summary>Our datasets that node follows (accepted).</summary>
    public int FollowsUs { get; init; }
    public int OpenOffers { get; init; }
    public int OpenNeeds { get; init; }
    /// <summary>The categories of its open offers and needs we hold (place, admin, logistics…).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>The node's address (scheme, host, port) as we reach it; null for this node.</summary>
    public string? Address { get; init; }
    /// <summary>When its profile came from the crawl: what the crawl found (through whom, how far, when); else null.</summary>
    public Crawl.CrawledNode? Crawled { get; init; }
    /// <summary>Known only through the crawl (not followed, not a follower).</summary>
    public bool OnlyCrawled => Crawled is not null && WeFollow == 0 && FollowsUs == 0;

    /// <summary>Where it is: the profile's geolocation, else its commune's centre; null when neither is known.</summary>
    public (decimal Latitude, decimal Longitude, bool Exact)? Point => Profile switch
    {
        { Latitude: { } lat, Longitude: { } lon } => (lat, lon, true),
        { Commune: { } code } when Communes.Find(code) is { } c => (c.Latitude, c.Longitude, false),
        _ => null,
    };
}

/// <summary>What the directory is asked: words, a sector, a commune (NIS code), a language, a category of open offers or needs; each optional.</summary>
public sealed record DirectoryFilter(string? Text = null, string? Sector = null, string? Commune = null, string? Language = null, string? Category = null)
{
    public bool Matches(NodeEntry e)
    {
        var p = e.Profile;
        if (!string.IsNullOrWhiteSpace(Category) && !e.Categories.Contains(Category.Trim().ToLowerInvariant())) return false;
        if (!string.IsNullOrWhiteSpace(Sector) && (p is null || !p.Sectors.Any(s => Fold(s) == Fold(Sector)))) return false;
        if (!string.IsNullOrWhiteSpace(Commune) && p?.Commune != Commune) return false;
        if (!string.IsNullOrWhiteSpace(Language) && (p is null || !p.Languages.Contains(Language.Trim().ToLowerInvariant()))) return false;
        if (string.IsNullOrWhiteSpace(Text)) return true;
        var haystack = Fold(string.Join(' ', new[] { e.Host, p?.Name ?? "" }.Concat(p?.Nicknames ?? []).Concat(p?.Sectors ?? [])
            .Concat(p?.Description.Values ?? []).Append(p?.Commune is { } c && Communes.Find(c) is { } k ? k.Fr + " " + k.Nl : "")));
        return Fold(Text).Split(' ', StringSplitOptions.RemoveEmptyEntries).All(haystack.Contains);
    }

    /// <summary>Lower case without accents, so "Saint-Gilles", "saint gilles" and "SAINT-GILLÈS" meet.</summary>
    public static string Fold(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            b.Append(char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ');
        }
        return b.ToString();
    }
}

/// <summary>An edge of the graph of who shares with whom: <paramref name="Follower"/> follows a dataset of <paramref name="Followed"/> (hosts; "" is us).</summary>
public sealed record Follow(string Follower, string Followed, int Datasets);

/// <summary>A relationship a profile names between two nodes of the directory (hosts; "" is us): member_of, partner_of, shares_staff_with.</summary>
public sealed record Tie(string From, string To, string Predicate);

/// <summary>Every node the directory knows, the follows between them and the ties their profiles name.</summary>
public sealed record Network(IReadOnlyList<NodeEntry> Nodes, IReadOnlyList<Follow> Follows, IReadOnlyList<CommuneCount> Communes)
{
    public IReadOnlyList<Tie> Ties { get; init; } = [];

    /// <summary>Open offers, needs and their categories we hold per organisation (host; "" for ours), whether or not it is a node we know directly.</summary>
    internal IReadOnlyDictionary<string, (int Offers, int Needs, IReadOnlyList<string>? Categories)> OpenOf { get; init; } =
        new Dictionary<string, (int, int, IReadOnlyList<string>?)>();
}

/// <summary>In one commune: the organisations we know there and the open offers and needs there (a listing's own commune, else its organisation's).</summary>
public sealed record CommuneCount(Commune Commune, int Organisations, int OpenOffers, int OpenNeeds);

/// <summary>
/// The directory of the network as this node sees it: every node it knows — the nodes of the datasets it follows and
/// of its followers — with their public profile when it holds one (a replicated map.profile record), and the open
/// offers and needs it holds of each. What feeds it is public or was shared with us: our datasets that are private
/// are never read, nor a followed dataset unless our subscription to it is accepted, nor any field our profile's
/// dataset keeps home. Beside them, the public profiles the crawl found through public relationships
/// (<see cref="Crawl.DirectoryCrawler"/>), each marked with whom it was found through.
/// </summary>
public sealed class NetworkDirectory(MapDirectory map, IDatasetStore datasets, ISubscriptionStore subscriptions, IFollowerStore followers,
    IReplicaStore replicas, IModuleStore modules, TimeProvider clock, IPublicDirectory? remote = null)
{
    private const int Page = 500;
    private const string ProfileSchemaId = "/schemas/map.profile.v1.json";

    public Network Read(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var direct = Direct();
        var crawled = modules.Read(Module, Crawl.CrawledNodes.All);
        var byHost = crawled.ToDictionary(c => c.Host, StringComparer.OrdinalIgnoreCase);
        var nodes = direct.Nodes.Select(n => n.Profile is null && byHost.TryGetValue(n.Host, out var c) && Organisation.Read(c.Profile) is { } p
            ? n with { Profile = p, Crawled = c } : n).ToList();
        var present = nodes.Select(n => n.Host).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var c in crawled.Where(c => !present.Contains(c.Host)))
            if (Organisation.Read(c.Profile) is { } profile)
            {
                var (offers, needs, categories) = direct.OpenOf.GetValueOrDefault(c.Host);
                nodes.Add(new NodeEntry { Host = c.Host, Address = c.Url, Profile = profile, Crawled = c, OpenOffers = offers, OpenNeeds = needs, Categories = categories ?? [] });
                present.Add(c.Host);
            }
        var communes = direct.Communes.Select(k => k with { Organisations = nodes.Count(n => n.Profile?.Commune == k.Commune.Code) }).ToList();
        return direct with { Nodes = nodes, Communes = communes, Ties = TiesOf(nodes, present) };
    }

    /// <summary>
    /// The nodes we know directly (us, the nodes we follow and our followers) with the profiles we hold, what they
    /// follow of each other and the communes' counts; no caller check (the crawl starts from it).
    /// </summary>
    internal Network Direct()
    {
        var now = clock.GetUtcNow();
        var ours = datasets.List().Where(d => d.Policy != SharingPolicy.Private).ToList();
        var weFollow = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var profiles = new Dictionary<string, Organisation>(StringComparer.OrdinalIgnoreCase);
        var addresses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in subscriptions.List())
        {
            var host = HostOf(s.DatasetActor);
            if (host is null || s.State is SubscriptionState.Rejected or SubscriptionState.Ended) continue;
            addresses.TryAdd(host, AddressOf(s.DatasetActor)!);
            weFollow.TryAdd(host, 0);
            if (s.State != SubscriptionState.Accepted) continue;
            weFollow[host]++;
            if (!profiles.ContainsKey(host) && ProfileOf(s) is { } profile) profiles[host] = profile;
        }
        var followsUs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in ours)
            foreach (var f in followers.List(d.Slug))
            {
                var host = HostOf(f.ActorUri);
                if (host is null) continue;
                addresses.TryAdd(host, AddressOf(f.ActorUri)!);
                followsUs.TryAdd(host, 0);
                if (f.State == FollowerState.Accepted) followsUs[host]++;
            }

        var offers = new Dictionary<string, (int Offers, int Needs)>(StringComparer.OrdinalIgnoreCase);
        var categories = new Dictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        var open = ours.Where(d => d.Kind == OffersKind.KindName).SelectMany(map.Ours).Where(l => l.Organisation == "")
            .Concat(map.Replicated()).Where(l => !l.Closed && !l.ExpiredAt(now)).ToList();
        foreach (var l in open)
        {
            var (o, n) = offers.GetValueOrDefault(l.Organisation);
            offers[l.Organisation] = l.IsNeed ? (o, n + 1) : (o + 1, n);
            (categories.TryGetValue(l.Organisation, out var c) ? c : categories[l.Organisation] = new SortedSet<string>(StringComparer.Ordinal)).Add(l.Category);
        }

        var nodes = new List<NodeEntry> { Entry("", OurProfile(ours), 0, 0, offers) with { Categories = [.. categories.GetValueOrDefault("") ?? []] } };
        foreach (var host in weFollow.Keys.Union(followsUs.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            nodes.Add(Entry(host, profiles.GetValueOrDefault(host), weFollow.GetValueOrDefault(host), followsUs.GetValueOrDefault(host), offers)
                with { Address = addresses[host], Categories = [.. categories.GetValueOrDefault(host) ?? []] });
        var follows = weFollow.Where(w => w.Value > 0).Select(w => new Follow("", w.Key, w.Value))
            .Concat(followsUs.Where(f => f.Value > 0).Select(f => new Follow(f.Key, "", f.Value))).ToList();
        var places = open.Select(l => l.Commune ?? nodes.FirstOrDefault(n => n.Host == l.Organisation)?.Profile?.Commune).ToList();
        var communes = Matching.Communes.All.Select(c => new CommuneCount(c,
            nodes.Count(n => n.Profile?.Commune == c.Code),
            open.Where((l, i) => places[i] == c.Code && !l.IsNeed).Count(),
            open.Where((l, i) => places[i] == c.Code && l.IsNeed).Count())).ToList();
        return new Network(nodes, follows, communes)
        {
            OpenOf = offers.ToDictionary(o => o.Key, o => (o.Value.Offers, o.Value.Needs, (IReadOnlyList<string>?)[.. categories.GetValueOrDefault(o.Key) ?? []]), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>The nodes the filter keeps, ours first, then by name.</summary>
    public IReadOnlyList<NodeEntry> Search(Caller caller, DirectoryFilter filter) =>
        Read(caller).Nodes.Where(filter.Matches).OrderBy(e => !e.IsUs).ThenBy(e => e.Profile?.Name ?? e.Host, StringComparer.CurrentCultureIgnoreCase).ToList();

    /// <summary>The relationships the nodes' profiles name that lead to another node of the directory (this node too, when it knows its address).</summary>
    private IReadOnlyList<Tie> TiesOf(IReadOnlyList<NodeEntry> nodes, IReadOnlySet<string> present)
    {
        var ties = new List<Tie>();
        foreach (var from in nodes.Where(n => n.Profile is not null))
            foreach (var r in from.Profile!.Relationships)
            {
                var to = remote is not null && Uri.TryCreate(r.Url, UriKind.Absolute, out var u) && remote.IsThisNode(u) ? "" : HostOf(r.Url);
                if (to is null || to == from.Host || !present.Contains(to)) continue;
                var tie = new Tie(from.Host, to, r.Predicate);
                if (!ties.Contains(tie)) ties.Add(tie);
            }
        return ties;
    }

    private static string Module => ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')];

    private static NodeEntry Entry(string host, Organisation? profile, int weFollow, int followsUs, Dictionary<string, (int Offers, int Needs)> offers)
    {
        var (o, n) = offers.GetValueOrDefault(host);
        return new NodeEntry { Host = host, Profile = profile, WeFollow = weFollow, FollowsUs = followsUs, OpenOffers = o, OpenNeeds = n };
    }

    /// <summary>Our profile, when its dataset is not private, without the fields it keeps home.</summary>
    private Organisation? OurProfile(IReadOnlyList<Dataset> ours)
    {
        if (modules.Read(ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')], ProfileKind.Held) is not { } held) return null;
        if (ours.FirstOrDefault(d => d.Slug == held.Dataset) is not { } dataset) return null;
        if (map.Record(dataset, held.Id) is not { } record) return null;
        // What the dataset keeps home stays out of the directory and its exports too (a field kept home in part, whole).
        var shared = System.Text.Json.Nodes.JsonNode.Parse(record.Data.GetRawText())!.AsObject();
        foreach (var field in dataset.ExcludedFields) shared.Remove(field.Split('.')[0]);
        return Organisation.Read(JsonSerializer.SerializeToElement(shared));
    }

    /// <summary>The profile in a followed dataset: one whose actor says it is of kind map.profile (by its schema's $id).</summary>
    private Organisation? ProfileOf(Subscription s)
    {
        if (!IsProfileSchema(s.Schema)) return null;
        var page = replicas.List(s.Id, null, Page);
        return page.Where(r => !r.Deleted).Select(r => Organisation.Read(r.Data)).OfType<Organisation>().FirstOrDefault();
    }

    private static bool IsProfileSchema(string? schema)
    {
        if (schema is null) return false;
        try
        {
            using var doc = JsonDocument.Parse(schema);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("$id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString()!.EndsWith(ProfileSchemaId, StringComparison.Ordinal);
        }
        catch (JsonException) { return false; }
    }

    internal static string? HostOf(string actor) =>
        Uri.TryCreate(actor, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Authority.ToLowerInvariant() : null;

    /// <summary>Scheme, host and port of an http(s) URL.</summary>
    internal static string? AddressOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? $"{uri.Scheme}://{uri.Authority.ToLowerInvariant()}" : null;
}
