namespace Commons.Modules.Employers.Kinds;

/// <summary>
/// The codes the group's rules, services and requests answer with: the same code on the API (problem+json), on a page
/// and in a refused request from a member node. Listed in docs/problems.md, "Modules".
/// </summary>
public static class EmployersCodes
{
    /// <summary>422: the assignment or the hours name a member organisation that is not listed in the group's settings.</summary>
    public const string MemberNotInGroup = "member_not_in_group";
    /// <summary>422: the assignment or the hours name a worker the group does not employ.</summary>
    public const string UnknownWorker = "unknown_worker";
    /// <summary>409: the planned shares of the worker would add up to more than 100 %.</summary>
    public const string SharesOver100 = "shares_over_100";
    /// <summary>409: this worker is already assigned to this member by another record.</summary>
    public const string AssignmentExists = "assignment_exists";
    /// <summary>422: hours for a worker not assigned to that member.</summary>
    public const string WorkerNotAssigned = "worker_not_assigned";
    /// <summary>409: the month is closed; its hours no longer change.</summary>
    public const string MonthClosed = "month_closed";
    /// <summary>409: the worker's hours of the month would pass what the contract allows (weekly hours × days of the month ÷ 7).</summary>
    public const string HoursOverContract = "hours_over_contract";
    /// <summary>409: hours of this worker for this member and month are already entered by another record.</summary>
    public const string HoursExist = "hours_exist";
    /// <summary>409: the node already keeps a group's settings elsewhere; one group per node.</summary>
    public const string GroupExists = "group_exists";
    /// <summary>409: the worker still has assignments; remove them first.</summary>
    public const string WorkerAssigned = "worker_assigned";
    /// <summary>422: a worker's start or end date is no day of the calendar, or the end comes before the start.</summary>
    public const string WorkerDatesInvalid = "worker_dates_invalid";
    /// <summary>422: hours for a month in which the worker is not employed (before the start date or after the end date).</summary>
    public const string MonthOutsideEmployment = "month_outside_employment";
    /// <summary>409: the node keeps no group's settings yet.</summary>
    public const string NoGroup = "no_group";
    /// <summary>Refused request: the asking node is not a member organisation of the group.</summary>
    public const string NotAMember = "not_a_member";
    /// <summary>404: no closed month's statement for this member and month.</summary>
    public const string NoStatement = "no_statement";

    /// <summary>502: a statement the group node sent does not check against the RSA key that node publishes (its check's own code in the detail).</summary>
    public const string StatementNotVerified = "statement_not_verified";

    public static readonly IReadOnlyList<string> OfGroup = [GroupExists, NoGroup, MonthClosed, NoStatement, StatementNotVerified];
    public static readonly IReadOnlyList<string> OfWorkers = [WorkerAssigned, WorkerDatesInvalid];
    public static readonly IReadOnlyList<string> OfAssignments = [MemberNotInGroup, UnknownWorker, SharesOver100, AssignmentExists];
    public static readonly IReadOnlyList<string> OfHours = [WorkerNotAssigned, MonthOutsideEmployment, MonthClosed, HoursOverContract, HoursExist, NotAMember];
}
