using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Modules.Employers.Allocation;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Services;

namespace Commons.Modules.Employers.Pages;

/// <summary>One worker × member of a month as the coordinator reads it: the planned share and the hours received (null: none yet).</summary>
public sealed record MonthLine(GroupIndex.WorkerEntry Worker, string Member, string MemberName, decimal PlannedShare, decimal? Hours);

/// <summary>The group as its pages show it: the settings, what the caller may read of workers and assignments, and what they may change.</summary>
public sealed record GroupView(GroupIndex.GroupEntry Group, IReadOnlyList<GroupIndex.WorkerEntry> Workers,
    IReadOnlyList<GroupIndex.AssignmentEntry> Assignments, IReadOnlyList<string> Warnings, bool Steward,
    Dataset? WorkersDataset, Dataset? AssignmentsDataset)
{
    public string MemberName(string actor) => Group.Members.FirstOrDefault(m => m.Actor == actor)?.Name ?? actor;
    public string WorkerName(string id) => Workers.FirstOrDefault(w => w.Id == id)?.Name ?? id;
}

/// <summary>
/// The service behind the coordinator's pages. Who may do what is decided here and in the services it calls, from the
/// <see cref="Caller"/>: reading takes read access to the group's settings dataset (and to each dataset shown), writing
/// workers and assignments goes through <see cref="RecordService"/> (an editor of their dataset), closing through
/// <see cref="EmployersService"/> (a steward of the group).
/// </summary>
public sealed class GroupDesk(EmployersService group, RecordService records, IDatasetStore datasets, IModuleStore modules, TimeProvider clock)
{
    /// <summary>The group as <paramref name="caller"/> may read it; null when this node keeps no group.</summary>
    public GroupView? Read(Caller caller)
    {
        if (group.Group() is not { } settings) return null;
        var warnings = group.Warnings(caller);
        var all = datasets.List();
        var steward = all.FirstOrDefault(d => d.Slug == settings.Dataset) is { } home && DatasetAccess.LevelOf(caller, home) >= AccessLevel.Steward;
        var seen = all.Where(d => DatasetAccess.CanSee(caller, d)).Select(d => d.Slug).ToHashSet(StringComparer.Ordinal);
        var (workers, assignments) = modules.Read(GroupIndex.Module, data =>
        {
            var index = new GroupIndex(data);
            var w = index.AllWorkers().Where(x => seen.Contains(x.Dataset)).OrderBy(x => x.Name, StringComparer.CurrentCulture).ToList();
            return (w, w.SelectMany(x => index.AssignmentsOf(x.Id)).Where(a => seen.Contains(a.Dataset)).ToList());
        });
        return new GroupView(settings, workers, assignments, warnings, steward,
            First(all, WorkersKind.KindName, caller), First(all, AssignmentsKind.KindName, caller));
    }

    /// <summary>The worker record's data, for the edit form.</summary>
    public JsonElement Worker(Caller caller, string id)
    {
        var held = modules.Read(GroupIndex.Module, data => new GroupIndex(data).Worker(id)) ?? throw new NotFoundException($"no worker '{id}'");
        return records.Get(caller, held.Dataset, id).Data;
    }

    /// <summary>Adds a worker to the first workers dataset the caller may edit; returns its id.</summary>
    public string AddWorker(Caller caller, JsonElement data) =>
        records.Create(caller, Editable(caller, WorkersKind.KindName).Slug, null, data).Record.Id;

    public void UpdateWorker(Caller caller, string id, JsonElement data)
    {
        var held = modules.Read(GroupIndex.Module, d => new GroupIndex(d).Worker(id)) ?? throw new NotFoundException($"no worker '{id}'");
        records.Update(caller, held.Dataset, id, data, null, null);
    }

    public string Assign(Caller caller, string worker, string member, decimal plannedShare)
    {
        var data = JsonSerializer.SerializeToElement(new { worker, member, plannedShare });
        return records.Create(caller, Editable(caller, AssignmentsKind.KindName).Slug, null, data).Record.Id;
    }

    public void Unassign(Caller caller, string worker, string member)
    {
        var held = modules.Read(GroupIndex.Module, d => new GroupIndex(d).Assignment(worker, member))
            ?? throw new NotFoundException($"worker '{worker}' is not assigned to '{member}'");
        records.Delete(caller, held.Dataset, held.Id, null);
    }

    /// <summary>Every assignment of the month with the hours received for it, and hours received without one; empty when the caller may not read the hours.</summary>
    public IReadOnlyList<MonthLine> Month(Caller caller, GroupView view, string month)
    {
        var seen = datasets.List().Where(d => DatasetAccess.CanSee(caller, d)).Select(d => d.Slug).ToHashSet(StringComparer.Ordinal);
        var hours = modules.Read(GroupIndex.Module, data => new GroupIndex(data).HoursOfMonth(month))
            .Where(h => seen.Contains(h.Dataset)).ToDictionary(h => (h.Worker, h.Member), h => h.Hours);
        var lines = view.Assignments.Select(a => (a.Worker, a.Member, a.PlannedShare)).Union(
            hours.Keys.Where(k => !view.Assignments.Any(a => a.Worker == k.Worker && a.Member == k.Member)).Select(k => (k.Worker, k.Member, 0m)));
        return lines.Select(l => view.Workers.FirstOrDefault(w => w.Id == l.Worker) is { } worker
                ? new MonthLine(worker, l.Item2, view.MemberName(l.Item2), l.Item3, hours.TryGetValue((l.Worker, l.Item2), out var h) ? h : null)
                : null)
            .OfType<MonthLine>()
            .OrderBy(l => l.MemberName, StringComparer.CurrentCulture).ThenBy(l => l.Worker.Name, StringComparer.CurrentCulture).ToList();
    }

    public ClosedMonth? Closed(Caller caller, string month) =>
        group.ClosedMonths(caller).Contains(month) ? group.Closed(caller, month) : null;

    public IReadOnlyList<string> ClosedMonths(Caller caller) => group.ClosedMonths(caller);

    public ClosedMonth Close(Caller caller, string month) => group.CloseMonth(caller, month);

    /// <summary>This month and the previous one on the Brussels calendar, then the closed months, newest first.</summary>
    public IReadOnlyList<string> Months(Caller caller)
    {
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Brussels);
        var current = new DateOnly(now.Year, now.Month, 1);
        return new[] { Text(current), Text(current.AddMonths(-1)) }.Union(group.ClosedMonths(caller), StringComparer.Ordinal)
            .OrderDescending(StringComparer.Ordinal).ToList();
    }

    /// <summary>The month before this one on the Brussels calendar: the one a coordinator closes next.</summary>
    public string PreviousMonth()
    {
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Brussels);
        return Text(new DateOnly(now.Year, now.Month, 1).AddMonths(-1));
    }

    /// <summary>When this month began on the Brussels calendar: since then last month waits to be closed.</summary>
    public DateTimeOffset MonthStart()
    {
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Brussels);
        var first = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(first, Brussels.GetUtcOffset(first));
    }

    public static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    private static string Text(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static Dataset? First(IReadOnlyList<Dataset> all, string kind, Caller caller) =>
        all.Where(d => d.Kind == kind && DatasetAccess.CanSee(caller, d)).MinBy(d => d.Key);

    private Dataset Editable(Caller caller, string kind) =>
        datasets.List().Where(d => d.Kind == kind).OrderBy(d => d.Key).FirstOrDefault(d => DatasetAccess.LevelOf(caller, d) >= AccessLevel.Edit)
        ?? throw new ForbiddenException($"no dataset of kind {kind} that you may edit");
}
