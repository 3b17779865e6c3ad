using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;
using Commons.Platform;

namespace Commons.Modules.Committee.Services;

/// <summary>
/// The dashboard's reminders: each adopted decision still planned or in progress whose due date has passed (in
/// Europe/Brussels), one line per overdue date, leading to the decision on this node (our record, or the replica of a
/// followed decisions dataset). Our own decisions only for a member who may read their dataset. No network.
/// </summary>
public sealed class CommitteeReminders(CommitteeDecisionFinder decisions, DatasetService datasets, TimeProvider clock)
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public IReadOnlyList<DashboardItem> Overdue(Caller caller)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Brussels).DateTime);
        var items = new List<DashboardItem>();
        var readable = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var d in decisions.All())
        {
            if (Text(d.Data, "outcome") != Outcomes.Adopted || Text(d.Data, "status") is not ("planned" or "in_progress")) continue;
            if (!d.Data.TryGetProperty("due", out var due) || due.ValueKind != JsonValueKind.Array) continue;
            if (d.Dataset is { } slug && !(readable.TryGetValue(slug, out var ok) ? ok : readable[slug] = CanRead(caller, slug))) continue;
            var title = d.Data.TryGetProperty("title", out var t) ? t : default;
            foreach (var item in due.EnumerateArray())
            {
                if (!DateOnly.TryParseExact(Text(item, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date >= today) continue;
                var at = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Brussels.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));
                var name = (string lang) => title.ValueKind == JsonValueKind.Object && title.TryGetProperty(lang, out var s) ? s.GetString() : null;
                var any = name("fr") ?? name("nl") ?? name("en") ?? d.Id;
                items.Add(new DashboardItem(new LocalizedText(
                    $"Échéance dépassée le {date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-BE"))} : {name("fr") ?? any}",
                    $"Termijn verstreken op {date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-BE"))}: {name("nl") ?? any}",
                    $"Due date passed on {date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}: {name("en") ?? any}"), d.Path, at));
            }
        }
        return items.OrderByDescending(i => i.At).Take(10).ToList();
    }

    private bool CanRead(Caller caller, string slug)
    {
        try
        {
            datasets.Get(caller, slug, AccessLevel.Read);
            return true;
        }
        catch (CommonsException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
