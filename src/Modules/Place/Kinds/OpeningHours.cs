using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Place.Kinds;

/// <summary>A resource's schema.org openingHoursSpecification, read in Europe/Brussels wall-clock time.</summary>
public sealed record OpeningHours(IReadOnlyList<DayOfWeek> Days, TimeSpan Opens, TimeSpan Closes)
{
    public static IReadOnlyList<OpeningHours>? Of(JsonElement resource)
    {
        if (!resource.TryGetProperty("openingHoursSpecification", out var spec)) return null;
        return spec.EnumerateArray().Select(e => new OpeningHours(
            e.GetProperty("dayOfWeek").EnumerateArray().Select(d => Enum.Parse<DayOfWeek>(d.GetString()!, ignoreCase: true)).ToList(),
            Clock(e.GetProperty("opens").GetString()!),
            Clock(e.GetProperty("closes").GetString()!))).ToList();
    }

    /// <summary>
    /// True if the booking lies within one entry on the local day it starts: it starts at or after the opening and ends
    /// on that day at or before the closing ("24:00" is the midnight that ends the day).
    /// </summary>
    public static bool Admit(IReadOnlyList<OpeningHours>? hours, DateTimeOffset start, DateTimeOffset end)
    {
        if (hours is null) return true;
        var localStart = PlaceTime.Local(start);
        var localEnd = PlaceTime.Local(end);
        var endOnDay = localEnd.DateTime - localStart.Date;
        return hours.Any(h => h.Days.Contains(localStart.DayOfWeek) && localStart.TimeOfDay >= h.Opens && endOnDay <= h.Closes);
    }

    private static TimeSpan Clock(string hhmm) =>
        hhmm == "24:00" ? TimeSpan.FromDays(1) : TimeSpan.ParseExact(hhmm, "hh\\:mm", CultureInfo.InvariantCulture);
}
