namespace Commons.Modules.Map.Matching;

/// <summary>Why a listing was matched: <c>category</c>, <c>window</c>, <c>capacity</c>, <c>vocabulary</c>, <c>word</c>, <c>spelling</c>, <c>commune</c>.</summary>
public sealed record MatchReason(string Code, string Detail);

/// <summary>A fitting listing, its score (the share of the subject's words it answers, 0–1), the distance between communes and why.</summary>
public sealed record Match(Listing Listing, double Score, double? DistanceKm, IReadOnlyList<MatchReason> Reasons);

/// <summary>
/// The matcher: for a need, the offers among the candidates that fit it, best first, with the reasons; for an offer,
/// the needs. Pure: no I/O, no clock (<c>now</c> is given); the candidates are listings already read from records.
/// </summary>
public static class Matcher
{
    /// <summary>Matches <paramref name="subject"/> against <paramref name="candidates"/> (one use; for many subjects build a <see cref="MatchIndex"/> once).</summary>
    public static IReadOnlyList<Match> For(Listing subject, IEnumerable<Listing> candidates, DateTimeOffset now, int limit = MatchIndex.DefaultLimit) =>
        new MatchIndex(candidates).For(subject, now, limit);
}
