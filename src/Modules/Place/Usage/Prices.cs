using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Place.Usage;

/// <summary>
/// A resource's prices as the usage report reads them (fields of place.resources v2; absent or unreadable means no
/// price). One booking costs, in euros, the lower of its hours × the price per hour and its started half-days (blocks
/// of up to 4 hours) × the price per half-day — whichever prices are set; in credit units, its hours × the price per
/// hour in credit. Amounts stay exact (decimal) until the report rounds its totals.
/// </summary>
public sealed record Prices(decimal? PerHourEur, decimal? PerHalfDayEur, decimal? PerHourCredit)
{
    public static readonly TimeSpan HalfDay = TimeSpan.FromHours(4);
    public static readonly Prices None = new(null, null, null);

    public static Prices Of(JsonElement? resource) => resource is not { ValueKind: JsonValueKind.Object } r ? None
        : new(Read(r, "pricePerHourEur"), Read(r, "pricePerHalfDayEur"), Read(r, "pricePerHourCredit"));

    public static decimal Hours(TimeSpan length) => (decimal)length.Ticks / TimeSpan.TicksPerHour;

    public decimal? Eur(TimeSpan length)
    {
        var byHour = PerHourEur * Hours(length);
        var byHalfDay = PerHalfDayEur * Math.Ceiling((decimal)length.Ticks / HalfDay.Ticks);
        return byHour is { } h && byHalfDay is { } d ? Math.Min(h, d) : byHour ?? byHalfDay;
    }

    public decimal? Credit(TimeSpan length) => PerHourCredit * Hours(length);

    /// <summary>Cents, half away from zero: 0.125 → 0.13, −0.125 → −0.13.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static decimal? Read(JsonElement resource, string field)
    {
        if (!resource.TryGetProperty(field, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n)) return n >= 0 ? n : null;
        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var s)) return s >= 0 ? s : null;
        return null;
    }
}
