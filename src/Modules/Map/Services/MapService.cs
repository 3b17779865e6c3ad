using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Services;

/// <summary>One match of one of our listings: ours, the one that fits, and why.</summary>
public sealed record MatchView(Listing Ours, Match Match);

/// <summary>
/// What members do with the map, and the one place that decides who may. The profile is a record of a map.profile
/// dataset: read by whoever may see that dataset, written by its editors (through the records service, so the schema
/// and the one-per-node rule apply). Matches are computed for the listings the caller may see, against every listing
/// in our replicas and in our datasets that is not our own organisation's.
/// </summary>
public sealed class MapService(MapDirectory directory, RecordService records, IModuleStore modules, TimeProvider clock, MatchIndexCache? indexes = null)
{
    /// <summary>The id a profile written through this service gets.</summary>
    public const string ProfileId = "profile";

    public DateTimeOffset Now => clock.GetUtcNow();

    public ProfileView Profile(Caller caller)
    {
        if (modules.Read(Module, ProfileKind.Held) is not { } held) throw new NotFoundException("this node has no profile yet", MapCodes.NoProfile);
        var record = records.Get(caller, held.Dataset, held.Id);
        var dataset = directory.Find(held.Dataset)!;
        return new ProfileView(dataset.Slug, record.Id, record.Revision, record.Data, dataset.ExcludedFields);
    }

    /// <summary>Creates the node's profile, or replaces it; the caller edits the profile dataset.</summary>
    public ProfileView PutProfile(Caller caller, JsonElement data, long? expectedRevision)
    {
        if (data.ValueKind != JsonValueKind.Object) throw ValidationException.For("data", "the profile is a JSON object (map.profile v1)");
        if (modules.Read(Module, ProfileKind.Held) is { } held)
        {
            var (updated, _) = records.Update(caller, held.Dataset, held.Id, data, null, expectedRevision);
            return new ProfileView(held.Dataset, updated.Id, updated.Revision, updated.Data, directory.Find(held.Dataset)!.ExcludedFields);
        }
        var dataset = directory.ProfileDatasets().FirstOrDefault()
            ?? throw new ConflictException("this node has no dataset of kind map.profile yet; an administrator creates one", MapCodes.NoProfileDataset);
        var (created, _) = records.Create(caller, dataset.Slug, ProfileId, data);
        return new ProfileView(dataset.Slug, created.Id, created.Revision, created.Data, dataset.ExcludedFields);
    }

    /// <summary>
    /// For each of our open listings the caller may see (needs and offers), what fits it: offers for a need, needs for
    /// an offer, best first, at most <paramref name="perListing"/> each; of one listing when <paramref name="id"/> is given.
    /// </summary>
    public IReadOnlyList<MatchView> Matches(Caller caller, string? id = null, int perListing = MatchIndex.DefaultLimit)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var now = Now;
        var ours = OpenListings(now, d => DatasetAccess.CanSee(caller, d)).Where(l => id is null || l.Id == id).ToList();
        if (id is not null && ours.Count == 0) throw new NotFoundException($"no open listing '{id}'");
        return MatchesOf(ours, now, perListing);
    }

    /// <summary>What fits each of our open listings, whoever may see them: the dashboard's news keeps it and shows each member theirs.</summary>
    internal IReadOnlyList<MatchView> AllMatches(DateTimeOffset now) => MatchesOf(OpenListings(now, _ => true), now, MatchIndex.DefaultLimit);

    private List<Listing> OpenListings(DateTimeOffset now, Func<Dataset, bool> seen) =>
        directory.OfferDatasets().Where(seen).SelectMany(directory.Ours).Where(l => l.Organisation == "" && !l.Closed && !l.ExpiredAt(now)).ToList();

    private List<MatchView> MatchesOf(List<Listing> ours, DateTimeOffset now, int perListing)
    {
        IEnumerable<Listing> Others() => directory.OfferDatasets().SelectMany(directory.Ours).Concat(directory.Replicated()).Where(l => l.Organisation != "");
        var index = indexes?.Current(Others) ?? new MatchIndex(Others());
        return ours.SelectMany(l => index.For(l, now, perListing).Select(m => new MatchView(l, m))).ToList();
    }

    private static string Module => ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')];
}

/// <summary>The node's profile record and the fields its dataset keeps home.</summary>
public sealed record ProfileView(string Dataset, string Id, long Revision, JsonElement Data, IReadOnlyList<string> ExcludedFields);
