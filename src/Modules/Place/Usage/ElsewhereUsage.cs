using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Views;

namespace Commons.Modules.Place.Usage;

/// <summary>One of this organisation's bookings at a place it follows, as the place's <c>usage</c> view tells it.</summary>
public sealed record ElsewhereBooking(
    string Booking, string Resource, LocalizedText ResourceName, DateTimeOffset Start, DateTimeOffset End, string State, bool Late,
    decimal Hours, decimal CostEur, decimal CostCredit, RemotePayment? Payment);

/// <summary>
/// This organisation's month at one place it follows: the sums the place computed and its bookings. <see cref="Fresh"/>
/// is false when the place could not be asked now; the figures are then the last it gave for this month (heard at
/// <see cref="At"/>), or none when it never answered.
/// </summary>
public sealed record ElsewherePlaceUsage(
    string Place, LocalizedText Name, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings,
    IReadOnlyList<ElsewhereBooking> Items, bool Fresh, DateTimeOffset? At);

/// <summary>This organisation's usage of the places it follows in one Brussels month, a row per place, and their totals.</summary>
public sealed record ElsewhereUsageTable(UsageMonth Month, IReadOnlyList<ElsewherePlaceUsage> Places)
{
    public decimal Hours => Places.Sum(p => p.Hours);
    public decimal CostEur => Places.Sum(p => p.CostEur);
    public decimal CostCredit => Places.Sum(p => p.CostCredit);
    public int LateCancellations => Places.Sum(p => p.LateCancellations);
    public int Bookings => Places.Sum(p => p.Bookings);
}

/// <summary>
/// The booking organisation's side of the usage report: for each place this node follows, what that place's owner
/// counts for this node in the month (its <c>usage</c> view, which tells each node only its own). Any member reads it:
/// it is their organisation's. A place that cannot be reached shows the last answer kept for the month.
/// </summary>
public sealed class ElsewhereUsage(RemotePlaces remote, IRemoteDatasetViews views, IModuleStore modules, TimeProvider clock)
{
    private const string Kept = "elsewhere-usage";

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<ElsewhereUsageTable> OfAsync(Caller caller, UsageMonth month, CancellationToken ct)
    {
        var places = remote.Places(caller);
        var rows = new List<ElsewherePlaceUsage>();
        foreach (var place in places)
        {
            var (view, at, fresh) = await UsageOfAsync(place.DatasetActor, month, ct);
            rows.Add(Row(place, view, at, fresh));
        }
        return new ElsewhereUsageTable(month, rows);
    }

    private async Task<(JsonElement? View, DateTimeOffset? At, bool Fresh)> UsageOfAsync(string actor, UsageMonth month, CancellationToken ct)
    {
        var key = $"{Exchange.RefOf(actor)}/{month}";
        try
        {
            var view = await views.FetchAsync(actor, UsageView.ViewName, new Dictionary<string, string> { ["month"] = month.ToString() }, ct);
            var now = clock.GetUtcNow();
            modules.Write(PlaceIndex.Module, d => { d.Put(Kept, key, JsonSerializer.SerializeToElement(new { at = now, view })); return 0; });
            return (view, now, true);
        }
        catch (CommonsException e) when (e.Code is ProblemCodes.OriginUnreachable or ProblemCodes.NotFound)
        {
            var kept = modules.Read(PlaceIndex.Module, d => d.Get(Kept, key));
            return kept is { } doc ? (doc.GetProperty("view").Clone(), doc.GetProperty("at").GetDateTimeOffset(), false) : (null, null, false);
        }
    }

    private static ElsewherePlaceUsage Row(RemotePlace place, JsonElement? view, DateTimeOffset? at, bool fresh)
    {
        if (view is not { ValueKind: JsonValueKind.Object } v) return new(place.DatasetActor, place.Name, 0, 0, 0, 0, 0, [], fresh, at);
        var items = v.TryGetProperty("bookings", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(b => Booking(place, b)).OfType<ElsewhereBooking>().ToList()
            : [];
        return new(place.DatasetActor, place.Name, Dec(v, "hours"), Dec(v, "costEur"), Dec(v, "costCredit"), Int(v, "lateCancellations"),
            Int(v, "confirmedBookings"), items, fresh, at);
    }

    private static ElsewhereBooking? Booking(RemotePlace place, JsonElement b)
    {
        if (Str(b, "booking") is not { } id || Str(b, "resource") is not { } resource || Str(b, "state") is not { } state
            || !DateTimeOffset.TryParse(Str(b, "start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !DateTimeOffset.TryParse(Str(b, "end"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)) return null;
        var name = place.Resources.FirstOrDefault(r => r.Id == resource)?.Name ?? new LocalizedText(null, null, resource);
        return new(id, resource, name, start, end, state, b.TryGetProperty("late", out var late) && late.ValueKind == JsonValueKind.True,
            Dec(b, "hours"), Dec(b, "costEur"), Dec(b, "costCredit"), RemotePayment.Of(b));
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal Dec(JsonElement e, string name) =>
        decimal.TryParse(Str(e, name), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m;

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;
}
