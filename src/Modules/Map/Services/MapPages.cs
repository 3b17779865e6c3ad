using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Payments;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Services;

/// <summary>The profile as the /map page shows it: the record when there is one, where it lives, and what the reader may do.</summary>
public sealed record ProfilePage(JsonElement? Data, string? Dataset, string? RecordId, bool MayEdit, bool MayCreateDataset);

/// <summary>One of our listings as /map/listings shows it: the record's data (for conditions and dates) and where to open it.</summary>
public sealed record ListingRow(Listing Listing, JsonElement Data, string Dataset);

/// <summary>
/// A match as /map/matches shows it: our listing, the fitting one, who offers it, the page of its record, and where to
/// act on it (book the place there; pay its price in credit).
/// </summary>
public sealed record MatchRow(Listing Ours, Match Match, string Origin, string? RecordPath, string? BookPath = null, string? PayPath = null);

/// <summary>
/// What the map's member pages read, decided once from the caller: the profile and whether the reader may edit it,
/// the listings of the offers datasets the reader may see and where they may add one, and the matches with the page
/// of each fitting record (ours, or the replica of the followed dataset it came from).
/// </summary>
public sealed class MapPages(
    MapService map, MapDirectory directory, IModuleStore modules, ISubscriptionStore subscriptions, IReplicaStore replicas, IModuleSwitches? switches = null,
    ICreditPayments? payments = null)
{
    public DateTimeOffset Now => map.Now;

    public ProfilePage Profile(Caller caller)
    {
        var module = ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')];
        if (modules.Read(module, ProfileKind.Held) is { } held && directory.Find(held.Dataset) is { } dataset && DatasetAccess.CanSee(caller, dataset))
        {
            var view = map.Profile(caller);
            return new ProfilePage(view.Data, view.Dataset, view.Id, MayEdit(caller, dataset), caller.IsAdmin);
        }
        var writable = directory.ProfileDatasets().FirstOrDefault(d => MayEdit(caller, d));
        return new ProfilePage(null, writable?.Slug, null, writable is not null, caller.IsAdmin);
    }

    /// <summary>Our offers and needs the caller may see, open ones first, then by title.</summary>
    public IReadOnlyList<ListingRow> Listings(Caller caller)
    {
        if (!caller.CanRead) return [];
        var rows = new List<ListingRow>();
        foreach (var dataset in directory.OfferDatasets().Where(d => DatasetAccess.CanSee(caller, d)))
            foreach (var listing in directory.Ours(dataset).Where(l => l.Organisation == ""))
                if (directory.Record(dataset, listing.Id) is { } record) rows.Add(new ListingRow(listing, record.Data, dataset.Slug));
        return rows.OrderBy(r => r.Listing.Closed || r.Listing.ExpiredAt(map.Now)).ThenBy(r => r.Listing.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>The offers datasets the caller may add a listing to.</summary>
    public IReadOnlyList<string> WritableOfferDatasets(Caller caller) =>
        directory.OfferDatasets().Where(d => MayEdit(caller, d)).Select(d => d.Slug).ToList();

    /// <summary>Our open listings' matches with the origin and the page of each fitting record.</summary>
    public IReadOnlyList<MatchRow> Matches(Caller caller)
    {
        var accepted = subscriptions.List().Where(s => s.State == SubscriptionState.Accepted).ToList();
        return map.Matches(caller).Select(m => Row(m, accepted)).ToList();
    }

    private MatchRow Row(MatchView view, IReadOnlyList<Subscription> accepted)
    {
        var listing = view.Match.Listing;
        if (!Uri.TryCreate(listing.Source, UriKind.Absolute, out _))
            return new MatchRow(view.Ours, view.Match, listing.Organisation, $"/datasets/{Uri.EscapeDataString(listing.Source)}/records/{Uri.EscapeDataString(listing.Id)}");
        var book = BookPath(view, accepted);
        foreach (var subscription in accepted)
            if (replicas.Get(subscription.Id, listing.Id) is { Deleted: false } replica && replica.ObjectUri == listing.Source)
                return new MatchRow(view.Ours, view.Match, listing.Organisation,
                    $"/subscriptions/{Uri.EscapeDataString(subscription.Id)}/records/{Uri.EscapeDataString(listing.Id)}", book, PayPath(view, subscription));
        return new MatchRow(view.Ours, view.Match, listing.Organisation, null, book);
    }

    /// <summary>
    /// An offer priced in credit, for one of our needs, from a node we follow, is paid from here: the credit module's
    /// pay form filled with the offering node's actor, the price and the offer's title — when that module is here, on,
    /// and that node is in our exchange group (<see cref="ICreditPayments.PayFormPath"/> says null otherwise).
    /// </summary>
    private string? PayPath(MatchView view, Subscription subscription)
    {
        var listing = view.Match.Listing;
        if (payments is null || !view.Ours.IsNeed || listing.IsNeed || listing.Credit is not { } price) return null;
        if (NodeActorOf(subscription.DatasetActor) is not { } payee) return null;
        var path = payments.PayFormPath(payee, price.Amount, listing.Title);
        // Only a page of this site: a link that leaves the node is not the credit module's form.
        return path is { Length: > 1 } && path[0] == '/' && path[1] is not ('/' or '\\') ? path : null;
    }

    /// <summary>
    /// The node actor of the node that publishes a followed dataset: a Commons node names its datasets
    /// <c>{base}/datasets/{slug}</c> and itself <c>{base}/actor</c> (spec/federation.md §1).
    /// </summary>
    internal static string? NodeActorOf(string datasetActor)
    {
        var at = datasetActor.LastIndexOf("/datasets/", StringComparison.Ordinal);
        return at > 0 && Uri.TryCreate(datasetActor, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? datasetActor[..at] + "/actor" : null;
    }

    /// <summary>
    /// A place offered for one of our needs by a node whose shared place we follow (an accepted subscription of kind
    /// place.resources on the offer's host) is booked there from our node: the shared place's page of places elsewhere,
    /// while that module is on here.
    /// </summary>
    private string? BookPath(MatchView view, IReadOnlyList<Subscription> accepted)
    {
        var listing = view.Match.Listing;
        if (!view.Ours.IsNeed || listing.Category != "place" || switches?.IsOn(PlaceModuleName) != true) return null;
        var host = new Uri(listing.Source).Authority;
        return accepted.Any(s => s.Kind == PlaceResourcesKind && Uri.TryCreate(s.DatasetActor, UriKind.Absolute, out var actor)
            && string.Equals(actor.Authority, host, StringComparison.OrdinalIgnoreCase))
            ? "/place/elsewhere"
            : null;
    }

    // Named, not referenced: modules know each other only by their published names.
    private const string PlaceModuleName = "place";
    private const string PlaceResourcesKind = "place.resources";

    private static bool MayEdit(Caller caller, Dataset dataset) =>
        caller.CanWrite && DatasetAccess.LevelOf(caller, dataset) >= AccessLevel.Edit;
}
