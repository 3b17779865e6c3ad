using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Employers.Kinds;

/// <summary>The group's settings: one record, on one dataset of the node, shared with the member nodes.</summary>
public sealed class GroupKind : DatasetKind
{
    public const string KindName = "employers.group";
    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = EmployersSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Groupement d’employeurs : le groupement", "Werkgeversgroepering: de groepering", "Employers’ group: the group");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Peers;
    public override IReadOnlyList<string> ProblemCodes => EmployersCodes.OfGroup;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new GroupIndex(data);
        if (index.GroupSettings() is { } held && (held.Dataset != write.Dataset.Slug || held.Id != write.Next.Id))
            throw new RuleConflictException(EmployersCodes.GroupExists, "One group per node",
                $"the group's settings are already record '{held.Id}' of '{held.Dataset}'");
        if (write.IsDelete) { index.RemoveGroup(); return; }
        var d = write.Next.Data;
        index.PutGroup(new GroupIndex.GroupEntry(write.Dataset.Slug, write.Next.Id, d.GetProperty("name").GetString()!,
            d.TryGetProperty("recognition", out var r) ? r.GetString() : null,
            d.TryGetProperty("sizeLimit", out var s) ? s.GetInt32() : null,
            d.GetProperty("members").EnumerateArray()
                .Select(m => new GroupIndex.GroupMember(m.GetProperty("actor").GetString()!, m.GetProperty("name").GetString()!)).ToList()));
    }

    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        var index = new GroupIndex(data);
        if (index.GroupSettings()?.Dataset == dataset.Slug) index.RemoveGroup();
    }
}

/// <summary>The group's shared workers.</summary>
public sealed class WorkersKind : DatasetKind
{
    public const string KindName = "employers.workers";
    public override string Name => KindName;
    public override int SchemaVersion => 2;
    public override string Schema { get; } = EmployersSchemas.Read(KindName, 2);
    public override LocalizedText Title => new("Groupement d’employeurs : travailleurs", "Werkgeversgroepering: werknemers", "Employers’ group: workers");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Peers;
    public override IReadOnlyList<string> ProblemCodes => EmployersCodes.OfWorkers;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new GroupIndex(data);
        var id = write.Next.Id;
        if (write.IsDelete)
        {
            if (index.AssignmentsOf(id).Count > 0)
                throw new RuleConflictException(EmployersCodes.WorkerAssigned, "Worker still assigned", $"worker '{id}' still has assignments; remove them first");
            index.RemoveWorker(id);
            return;
        }
        var d = write.Next.Data;
        var start = d.TryGetProperty("startDate", out var s) ? s.GetString() : null;
        var end = d.TryGetProperty("endDate", out var e) ? e.GetString() : null;
        if (start is not null && !Employment.TryParseDate(start, out _))
            throw new RuleViolationException(EmployersCodes.WorkerDatesInvalid, "Dates not valid", $"{start} is no day of the calendar", "startDate");
        if (end is not null && !Employment.TryParseDate(end, out _))
            throw new RuleViolationException(EmployersCodes.WorkerDatesInvalid, "Dates not valid", $"{end} is no day of the calendar", "endDate");
        if (start is not null && end is not null && string.CompareOrdinal(end, start) < 0)
            throw new RuleViolationException(EmployersCodes.WorkerDatesInvalid, "Dates not valid", $"the end date {end} is before the start date {start}", "endDate");
        index.PutWorker(new GroupIndex.WorkerEntry(write.Dataset.Slug, id, d.GetProperty("name").GetString()!, d.GetProperty("role").GetString()!,
            d.GetProperty("contractHoursPerWeek").GetDecimal(), Amounts.Parse(d.GetProperty("monthlyCost")), start, end));
    }

    /// <summary>Version 2 only adds the optional start and end dates: a version 1 worker is employed without bounds.</summary>
    public override JsonElement Upgrade(int fromVersion, JsonElement data) => fromVersion == 1 ? data : base.Upgrade(fromVersion, data);

    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        var index = new GroupIndex(data);
        var workers = index.AllWorkers().Where(w => w.Dataset == dataset.Slug).ToList();
        if (workers.FirstOrDefault(w => index.AssignmentsOf(w.Id).Count > 0) is { } assigned)
            throw new RuleConflictException(EmployersCodes.WorkerAssigned, "Worker still assigned", $"worker '{assigned.Id}' still has assignments; remove them first");
        foreach (var w in workers) index.RemoveWorker(w.Id);
    }
}

/// <summary>Decimal amounts and hours as the schemas write them: strings, read with the invariant culture.</summary>
internal static class Amounts
{
    public static decimal Parse(JsonElement value) => decimal.Parse(value.GetString()!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    public static string Format(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
