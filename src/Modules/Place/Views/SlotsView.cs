using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Views;

/// <summary>
/// <c>{resources dataset actor}/views/slots</c>: the free time of each resource of the dataset (or of
/// <c>resource=</c>) from <c>from</c> to <c>to</c> (ISO 8601 instants with their offset; now and 14 days on by
/// default, 90 days at most), computed by the owner from the opening hours, closures and notice minus the times held.
/// Times are written on the Brussels clock with their offset. Nothing says who holds the rest.
/// </summary>
public sealed class SlotsView(IModuleStore modules) : IDatasetView
{
    public const string ViewName = "slots";
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(14);
    public static readonly TimeSpan LongestSpan = TimeSpan.FromDays(90);

    public string Kind => ResourcesKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        var from = request.Query.TryGetValue("from", out var f) ? PlaceInput.Instant(f, "from") : request.Now;
        var to = request.Query.TryGetValue("to", out var t) ? PlaceInput.Instant(t, "to") : from + DefaultSpan;
        if (to <= from || to - from > LongestSpan)
            throw ValidationException.For("to", "the range ends after it starts and spans at most 90 days", ProblemCodes.InvalidParameter);
        request.Query.TryGetValue("resource", out var only);

        var resources = modules.Read(PlaceIndex.Module, d =>
        {
            var index = new PlaceIndex(d);
            return index.ResourcesOf(request.Dataset.Slug).Where(id => only is null || id == only)
                .Select(id => (Id: id, Slots: FreeSlotsOfResource.Slots(index.Resource(id)!.Data, index.BusyBetween(id, from, to), from, to, request.Now)))
                .ToList();
        });
        if (only is not null && resources.Count == 0) return null;
        return JsonSerializer.SerializeToElement(new
        {
            from = PlaceTime.Text(from), to = PlaceTime.Text(to), timeZone = PlaceTime.Zone.Id,
            resources = resources.Select(r => new
            {
                id = r.Id, free = r.Slots.Select(s => new { start = PlaceTime.Text(s.Start), end = PlaceTime.Text(s.End) }),
            }),
        });
    }
}
