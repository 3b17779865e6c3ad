using System.Globalization;
using System.Text.Json;
using PublicHoliday;

namespace Commons.Modules.Place.Kinds;

/// <summary>One closure of a resource: local dates from and until (both included), and why, in the node's languages.</summary>
public sealed record Closure(DateOnly From, DateOnly Until, IReadOnlyDictionary<string, string> Reason)
{
    public bool Covers(DateOnly day) => From <= day && day <= Until;

    /// <summary>The reason in <paramref name="language"/>, else in English, French or Dutch, whichever is there.</summary>
    public string ReasonIn(string language) =>
        Reason.TryGetValue(language, out var r) ? r : new[] { "en", "fr", "nl" }.Select(l => Reason.GetValueOrDefault(l)).First(r => r is not null)!;
}

/// <summary>
/// What a resource's record (schema v2) says about booking it, as the rules read it: closures, public holidays, the
/// monthly quota, the cancellation deadline, who may book and how a booking is accepted. The schema has checked the
/// shape; a field that is absent means no such rule.
/// </summary>
public sealed record ResourceTerms(
    IReadOnlyList<Closure> Closures, bool ClosedOnPublicHolidays, int? QuotaHoursPerMonth, int? CancellationDeadlineMinutes,
    IReadOnlyList<string>? Bookers, bool StewardApproves)
{
    public const string AutomaticApproval = "automatic";
    public const string StewardApproval = "steward";

    public static ResourceTerms Of(JsonElement resource) => new(
        resource.TryGetProperty("closures", out var c) ? c.EnumerateArray().Select(ClosureOf).ToList() : [],
        resource.TryGetProperty("publicHolidays", out var h) && h.ValueKind == JsonValueKind.True,
        resource.TryGetProperty("quotaHoursPerMonth", out var q) ? q.GetInt32() : null,
        resource.TryGetProperty("cancellationDeadlineMinutes", out var d) ? d.GetInt32() : null,
        resource.TryGetProperty("bookers", out var b) ? b.EnumerateArray().Select(x => x.GetString()!).ToList() : null,
        resource.TryGetProperty("approval", out var a) && a.GetString() == StewardApproval);

    /// <summary>The first closure covering a local date of [start, end), if any.</summary>
    public Closure? ClosureDuring(DateTimeOffset start, DateTimeOffset end) =>
        Closures.Count == 0 ? null : PlaceTime.LocalDates(start, end).SelectMany(day => Closures.Where(c => c.Covers(day))).FirstOrDefault();

    /// <summary>The first Belgian public holiday among the local dates of [start, end), when the resource closes on them.</summary>
    public DateOnly? PublicHolidayDuring(DateTimeOffset start, DateTimeOffset end) =>
        ClosedOnPublicHolidays ? PlaceTime.LocalDates(start, end).Cast<DateOnly?>().FirstOrDefault(d => BelgianHolidays.Contains(d!.Value)) : null;

    /// <summary>
    /// True if a cancellation at <paramref name="at"/> is late: the resource has a cancellation deadline and fewer
    /// than that many minutes are left before the booking starts.
    /// </summary>
    public bool IsLate(Booking booking, DateTimeOffset at) =>
        CancellationDeadlineMinutes is { } minutes && at > booking.Start.AddMinutes(-minutes);

    /// <summary>Whether a booking held by <paramref name="bookedBy"/> is allowed: members always; a peer when the resource lists no bookers or lists its host.</summary>
    public bool Admits(string bookedBy) =>
        Bookers is null || Organisations.HostOf(bookedBy) is not { } host || Bookers.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static Closure ClosureOf(JsonElement c) => new(
        Date(c.GetProperty("from")), Date(c.GetProperty("until")),
        c.GetProperty("reason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));

    /// <summary>A local date; one that does not exist (31 April) was refused by the schema's format check.</summary>
    internal static DateOnly Date(JsonElement text) =>
        DateOnly.ParseExact(text.GetString()!, PlaceTime.DayKeyFormat, CultureInfo.InvariantCulture);
}

/// <summary>
/// Belgium's ten legal public holidays (New Year, Easter Monday, 1 May, Ascension, Whit Monday, 21 July, 15 August,
/// 1 and 11 November, Christmas), from the PublicHoliday package: served by the registry, maintained, without
/// dependencies, and it computes Easter itself — better than a copy of the computus here. Its calendars memoize
/// without saying they are thread-safe, so each year is asked once, of a calendar of its own, and kept.
/// </summary>
public static class BelgianHolidays
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, (IReadOnlyList<DateOnly> Days, HashSet<DateOnly> Set)> Years = new();

    /// <summary>One set lookup: the free-slot view asks this for every day of every resource.</summary>
    public static bool Contains(DateOnly day) => Year(day.Year).Set.Contains(day);

    public static IReadOnlyList<DateOnly> Of(int year) => Year(year).Days;

    private static (IReadOnlyList<DateOnly> Days, HashSet<DateOnly> Set) Year(int year) => Years.GetOrAdd(year, y =>
    {
        var days = new BelgiumPublicHoliday().PublicHolidays(y).Select(DateOnly.FromDateTime).Distinct().Order().ToList();
        return (days, days.ToHashSet());
    });
}

/// <summary>Who a booking counts against, for the monthly quota: the host of a peer's actor URL, or this node's members as one organisation.</summary>
public static class Organisations
{
    /// <summary>This node's own members, together (no host contains '@').</summary>
    public const string OwnMembers = "@members";

    public static string Of(string bookedBy) => HostOf(bookedBy) ?? OwnMembers;

    /// <summary>The authority (host and port) of an http(s) actor URL; null for a member's username.</summary>
    public static string? HostOf(string bookedBy) =>
        Uri.TryCreate(bookedBy, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Authority.ToLowerInvariant() : null;
}
