using System.Text.Json;
using Commons.Modules.Map.Services;

namespace Commons.Modules.Map.Api;

public sealed record ProfileResponse(string Dataset, string Id, long Revision, JsonElement Data)
{
    public static ProfileResponse From(ProfileView v) => new(v.Dataset, v.Id, v.Revision, v.Data);
}

/// <summary>The profile to write: its data (map.profile v1) and, to replace it safely, the revision it replaces.</summary>
public sealed record ProfileBody(JsonElement Data, long? Revision);

public sealed record ReasonResponse(string Code, string Detail);

/// <summary>One match: our listing (id, kind, title), the one that fits (its source: our dataset, or the origin record's URI), score, distance, reasons.</summary>
public sealed record MatchResponse(string Listing, string Kind, string Title, string MatchId, string MatchSource, string MatchOrganisation,
    string MatchTitle, double Score, double? DistanceKm, IReadOnlyList<ReasonResponse> Reasons)
{
    public static MatchResponse From(MatchView v) => new(v.Ours.Id, v.Ours.Kind, v.Ours.Title, v.Match.Listing.Id, v.Match.Listing.Source,
        v.Match.Listing.Organisation, v.Match.Listing.Title, v.Match.Score, v.Match.DistanceKm,
        v.Match.Reasons.Select(r => new ReasonResponse(r.Code, r.Detail)).ToList());
}
