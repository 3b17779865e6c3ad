namespace Commons.Modules.Employers.Allocation;

/// <summary>How a worker's month was split: by the hours entered, by the planned shares (no hours entered), or not at all (no assignment).</summary>
public static class AllocationBasis
{
    public const string Hours = "hours";
    public const string PlannedShare = "planned_share";
    public const string Unallocated = "unallocated";
}

/// <summary>One member of a worker's month: its planned share and the hours entered for it (null: none entered).</summary>
public sealed record WorkerMember(string Member, decimal PlannedShare, decimal? Hours);

/// <summary>What a worker's month is split from: the month's cost and the members it worked for or is assigned to.</summary>
public sealed record WorkerMonth(string Worker, string Name, decimal MonthlyCost, IReadOnlyList<WorkerMember> Members);

/// <summary>A member's part of a worker's month.</summary>
public sealed record MemberShare(string Member, decimal? Hours, decimal PlannedShare, decimal Amount);

public sealed record WorkerAllocation(string Worker, string Name, decimal Cost, string Basis, IReadOnlyList<MemberShare> Shares);

/// <summary>A closed month: every worker's split, kept as it was computed when the coordinator closed it.</summary>
public sealed record ClosedMonth(string Month, DateTimeOffset ClosedAt, string ClosedBy, string Group, string? Recognition,
    IReadOnlyDictionary<string, string> MemberNames, IReadOnlyList<WorkerAllocation> Workers)
{
    public decimal TotalOf(string member) => Workers.SelectMany(w => w.Shares).Where(s => s.Member == member).Sum(s => s.Amount);
}

/// <summary>
/// The group's rule (<c>pro_rata_hours</c>, falling back to <c>planned_share</c>): a worker's month is split pro rata of
/// the hours entered for it by each member; when no hours are entered for that worker in the month, by the planned
/// shares of its assignments; with neither, it stays unallocated (the coordinator sees it). Pure.
/// </summary>
public static class MonthAllocation
{
    public static WorkerAllocation Allocate(WorkerMonth month)
    {
        var members = month.Members.OrderBy(m => m.Member, StringComparer.Ordinal).ToList();
        var byHours = members.Sum(m => m.Hours ?? 0m) > 0;
        var basis = byHours ? AllocationBasis.Hours : members.Sum(m => m.PlannedShare) > 0 ? AllocationBasis.PlannedShare : AllocationBasis.Unallocated;
        if (basis == AllocationBasis.Unallocated || month.MonthlyCost == 0)
            return new(month.Worker, month.Name, month.MonthlyCost, basis, members.Select(m => new MemberShare(m.Member, m.Hours, m.PlannedShare, 0m)).ToList());
        var amounts = CostSplit.Split(month.MonthlyCost,
            members.Select(m => new MemberWeight(m.Member, byHours ? m.Hours ?? 0m : m.PlannedShare)).ToList());
        return new(month.Worker, month.Name, month.MonthlyCost, basis,
            members.Select((m, i) => new MemberShare(m.Member, m.Hours, m.PlannedShare, amounts[i].Amount)).ToList());
    }
}
