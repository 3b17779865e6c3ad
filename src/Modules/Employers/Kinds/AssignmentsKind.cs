using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Employers.Kinds;

/// <summary>
/// Workers placed with member organisations. Belgian rules kept here: a worker is placed only with a member of the
/// group, and one worker's planned shares never add up to more than 100 %.
/// </summary>
public sealed class AssignmentsKind : DatasetKind
{
    public const string KindName = "employers.assignments";
    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = EmployersSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Groupement d’employeurs : mises à disposition", "Werkgeversgroepering: terbeschikkingstellingen", "Employers’ group: assignments");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Peers;
    public override IReadOnlyList<string> ProblemCodes => EmployersCodes.OfAssignments;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new GroupIndex(data);
        if (write.Previous is { } previous)
            index.RemoveAssignment(previous.Data.GetProperty("worker").GetString()!, previous.Data.GetProperty("member").GetString()!);
        if (write.IsDelete) return;

        var d = write.Next.Data;
        var worker = d.GetProperty("worker").GetString()!;
        var member = d.GetProperty("member").GetString()!;
        var share = d.GetProperty("plannedShare").GetDecimal();
        if (index.Worker(worker) is null)
            throw new RuleViolationException(EmployersCodes.UnknownWorker, "Unknown worker", $"the group employs no worker '{worker}'", "worker");
        if (index.GroupSettings() is not { } group || !group.HasMember(member))
            throw new RuleViolationException(EmployersCodes.MemberNotInGroup, "Not a member of the group",
                $"'{member}' is not a member organisation of the group; a worker is placed only with members", "member");
        if (index.Assignment(worker, member) is { } other)
            throw new RuleConflictException(EmployersCodes.AssignmentExists, "Already assigned",
                $"worker '{worker}' is already assigned to '{member}' by record '{other.Id}' of '{other.Dataset}'");
        var total = index.AssignmentsOf(worker).Sum(a => a.PlannedShare) + share;
        if (total > 100m)
            throw new RuleConflictException(EmployersCodes.SharesOver100, "Shares over 100 %",
                $"worker '{worker}''s planned shares would add up to {total} %");
        index.PutAssignment(new GroupIndex.AssignmentEntry(write.Dataset.Slug, write.Next.Id, worker, member, share));
    }

    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        var index = new GroupIndex(data);
        foreach (var worker in index.AllWorkers())
            foreach (var a in index.AssignmentsOf(worker.Id).Where(a => a.Dataset == dataset.Slug))
                index.RemoveAssignment(a.Worker, a.Member);
    }
}
