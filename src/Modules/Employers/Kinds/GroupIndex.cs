using System.Text.Json;
using Commons.Core.Modules;
using Commons.Modules.Employers.Allocation;

namespace Commons.Modules.Employers.Kinds;

/// <summary>
/// The group's own documents, kept by the kinds' rules inside each record's write so they always agree with the
/// records: <c>group/settings</c> — where the group's settings live and its members; <c>workers/{id}</c>;
/// <c>assignments/{worker}|{member}</c>; <c>hours/{month}|{worker}|{member}</c>; <c>closed/{month}</c> — a closed
/// month's allocation. A rule reads a handful of small documents whatever the size of the group.
/// </summary>
public sealed class GroupIndex(IModuleData data)
{
    public const string Module = "employers";
    private const string Group = "group";
    private const string Settings = "settings";
    private const string Workers = "workers";
    private const string Assignments = "assignments";
    private const string Hours = "hours";
    private const string Closed = "closed";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record GroupEntry(string Dataset, string Id, string Name, string? Recognition, int? SizeLimit, IReadOnlyList<GroupMember> Members)
    {
        public bool HasMember(string actor) => Members.Any(m => m.Actor == actor);
    }

    public sealed record GroupMember(string Actor, string Name);
    /// <summary>A worker; <see cref="Start"/> and <see cref="End"/> (YYYY-MM-DD, inclusive) bound the months the group employs them, open when null.</summary>
    public sealed record WorkerEntry(string Dataset, string Id, string Name, string Role, decimal HoursPerWeek, decimal MonthlyCost, string? Start = null, string? End = null);
    public sealed record AssignmentEntry(string Dataset, string Id, string Worker, string Member, decimal PlannedShare);
    public sealed record HoursEntry(string Dataset, string Id, string Worker, string Member, string Month, decimal Hours);

    public GroupEntry? GroupSettings() => Read<GroupEntry>(Group, Settings);
    public void PutGroup(GroupEntry group) => Write(Group, Settings, group);
    public void RemoveGroup() => data.Delete(Group, Settings);

    public WorkerEntry? Worker(string id) => Read<WorkerEntry>(Workers, id);
    public void PutWorker(WorkerEntry worker) => Write(Workers, worker.Id, worker);
    public void RemoveWorker(string id) => data.Delete(Workers, id);
    public IReadOnlyList<WorkerEntry> AllWorkers() => All<WorkerEntry>(Workers, null, null);

    public AssignmentEntry? Assignment(string worker, string member) => Read<AssignmentEntry>(Assignments, $"{worker}|{member}");
    public IReadOnlyList<AssignmentEntry> AssignmentsOf(string worker) => All<AssignmentEntry>(Assignments, $"{worker}|", $"{worker}}}");
    /// <summary>Every assignment in one range read (a close asks for all of them: one read, not one per worker).</summary>
    public IReadOnlyList<AssignmentEntry> AllAssignments() => All<AssignmentEntry>(Assignments, null, null);
    public void PutAssignment(AssignmentEntry a) => Write(Assignments, $"{a.Worker}|{a.Member}", a);
    public void RemoveAssignment(string worker, string member) => data.Delete(Assignments, $"{worker}|{member}");

    public HoursEntry? HoursOf(string month, string worker, string member) => Read<HoursEntry>(Hours, $"{month}|{worker}|{member}");
    public IReadOnlyList<HoursEntry> HoursOf(string month, string worker) => All<HoursEntry>(Hours, $"{month}|{worker}|", $"{month}|{worker}}}");
    public IReadOnlyList<HoursEntry> HoursOfMonth(string month) => All<HoursEntry>(Hours, $"{month}|", $"{month}}}");
    public IReadOnlyList<HoursEntry> AllHours() => All<HoursEntry>(Hours, null, null);
    public void PutHours(HoursEntry h) => Write(Hours, $"{h.Month}|{h.Worker}|{h.Member}", h);
    public void RemoveHours(string month, string worker, string member) => data.Delete(Hours, $"{month}|{worker}|{member}");

    public bool IsClosed(string month) => data.Get(Closed, month) is not null;
    public ClosedMonth? ClosedMonth(string month) => Read<ClosedMonth>(Closed, month);
    public void PutClosed(ClosedMonth closed) => Write(Closed, closed.Month, closed);
    public IReadOnlyList<ClosedMonth> AllClosed() => All<ClosedMonth>(Closed, null, null);

    private T? Read<T>(string collection, string key) where T : class =>
        data.Get(collection, key) is { } doc ? doc.Deserialize<T>(Json) : null;

    private void Write<T>(string collection, string key, T value) => data.Put(collection, key, JsonSerializer.SerializeToElement(value, Json));

    private IReadOnlyList<T> All<T>(string collection, string? from, string? to)
    {
        var found = new List<T>();
        var next = from;
        while (true)
        {
            var page = data.Range(collection, next, to, 500);
            found.AddRange(page.Select(d => d.Value.Deserialize<T>(Json)!));
            if (page.Count < 500) return found;
            next = page[^1].Key + "\0";
        }
    }
}
