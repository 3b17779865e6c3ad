using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Modules.Employers.Requests;
using Commons.Modules.Employers.Services;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Employers.Pages;

/// <summary>
/// The group's lines on the dashboard: for a steward of the group, last month still open (it waits to be closed); for a
/// member who sent hours from this node, the group's refusals of the last seven days, with their code. Local reads only.
/// </summary>
public static class EmployersNews
{
    public static readonly TimeSpan RefusalsShown = TimeSpan.FromDays(7);
    private const int Most = 10;

    public static IReadOnlyList<DashboardItem> For(IServiceProvider services, Caller caller)
    {
        var items = new List<DashboardItem>();
        var clock = services.GetRequiredService<TimeProvider>();
        var desk = services.GetRequiredService<GroupDesk>();
        var group = services.GetRequiredService<EmployersService>().Group();
        if (group is not null && services.GetRequiredService<IDatasetStore>().Find(group.Dataset) is { } home
            && DatasetAccess.LevelOf(caller, home) >= AccessLevel.Steward)
        {
            var month = desk.PreviousMonth();
            if (!desk.ClosedMonths(caller).Contains(month))
                items.Add(new DashboardItem(new LocalizedText(
                        $"Le mois {month} du groupement attend sa clôture",
                        $"De maand {month} van de groepering wacht op afsluiting",
                        $"The group’s month {month} waits to be closed"),
                    $"/employers/months/{month}", desk.MonthStart()));
        }

        var since = clock.GetUtcNow() - RefusalsShown;
        var groups = services.GetRequiredService<MemberGroups>().Groups(caller);
        foreach (var refused in services.GetRequiredService<IExchangeGateway>().Outgoing(HoursRequestHandler.Type, caller.Username, 50)
                     .Where(e => e.State == ExchangeState.Refused && (e.AnsweredAt ?? e.CreatedAt) >= since))
        {
            var month = refused.Body.TryGetProperty("month", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.String ? m.GetString() : "?";
            items.Add(new DashboardItem(new LocalizedText(
                    $"Heures de {month} refusées par le groupement ({refused.Code})",
                    $"Uren van {month} geweigerd door de groepering ({refused.Code})",
                    $"Hours of {month} refused by the group ({refused.Code})"),
                PathOf(groups, refused), refused.AnsweredAt ?? refused.CreatedAt));
        }
        return items.OrderByDescending(i => i.At).Take(Most).ToList();
    }

    /// <summary>Where the member sees the group's answers: the page of the group the request went to (same node), else the list.</summary>
    private static string PathOf(IReadOnlyList<MemberGroup> groups, Exchange refused)
    {
        var month = refused.Body.TryGetProperty("month", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.String ? m.GetString() : null;
        var group = groups.FirstOrDefault(g => Uri.TryCreate(g.DatasetActor, UriKind.Absolute, out var a) && Uri.TryCreate(refused.TargetActor, UriKind.Absolute, out var t)
            && a.Authority == t.Authority);
        return group is null ? "/employers" : $"/employers/memberships/{Uri.EscapeDataString(group.Subscription)}" + (month is null ? "" : $"?month={month}");
    }
}
