using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Employers.Allocation;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Statements;

namespace Commons.Modules.Employers.Services;

/// <summary>
/// The group's coordination: closing a month (its allocation computed once and kept) and the signed statements. Who
/// may do what is decided here from the <see cref="Caller"/>: closing takes a steward of the dataset holding the
/// group's settings; reading a closed month or a statement, anyone who may read that dataset.
/// </summary>
public sealed partial class EmployersService(IModuleStore modules, IDatasetStore datasets, INodeSigningKey signingKey, TimeProvider clock)
{
    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    public ClosedMonth CloseMonth(Caller caller, string month)
    {
        RequireMonth(month);
        Require(caller, AccessLevel.Steward);
        var at = clock.GetUtcNow();
        return modules.Write(GroupIndex.Module, data =>
        {
            var index = new GroupIndex(data);
            var group = index.GroupSettings() ?? throw NoGroup();
            if (index.IsClosed(month)) throw new ConflictException($"{month} is already closed", EmployersCodes.MonthClosed);
            var hours = index.HoursOfMonth(month).ToLookup(h => h.Worker, StringComparer.Ordinal);
            var assignments = index.AllAssignments().ToLookup(a => a.Worker, StringComparer.Ordinal);
            // Only the workers employed in the month: their cost is split; the others have none to split that month.
            var workers = index.AllWorkers().Where(w => Employment.Covers(w, month)).Select(w =>
            {
                var assigned = assignments[w.Id].ToDictionary(a => a.Member, a => a.PlannedShare, StringComparer.Ordinal);
                var entered = hours[w.Id].ToDictionary(h => h.Member, h => h.Hours, StringComparer.Ordinal);
                var members = assigned.Keys.Union(entered.Keys, StringComparer.Ordinal)
                    .Select(m => new WorkerMember(m, assigned.GetValueOrDefault(m), entered.TryGetValue(m, out var h) ? h : null)).ToList();
                return MonthAllocation.Allocate(new WorkerMonth(w.Id, w.Name, w.MonthlyCost, members));
            }).ToList();
            var closed = new ClosedMonth(month, at, caller.Username, group.Name, group.Recognition,
                group.Members.ToDictionary(m => m.Actor, m => m.Name, StringComparer.Ordinal), workers);
            index.PutClosed(closed);
            return closed;
        });
    }

    public ClosedMonth Closed(Caller caller, string month)
    {
        RequireMonth(month);
        Require(caller, AccessLevel.Read);
        return modules.Read(GroupIndex.Module, data => new GroupIndex(data).ClosedMonth(month))
            ?? throw new NotFoundException($"{month} is not closed", EmployersCodes.NoStatement);
    }

    public IReadOnlyList<string> ClosedMonths(Caller caller)
    {
        Require(caller, AccessLevel.Read);
        return modules.Read(GroupIndex.Module, data => new GroupIndex(data).AllClosed().Select(c => c.Month).ToList());
    }

    /// <summary>One member's statement of a closed month, signed with the node's key; the member named by its actor URL or its node's host.</summary>
    public string MemberStatement(Caller caller, string month, string member) =>
        StatementOf(Closed(caller, month), member) ?? throw new NotFoundException($"'{member}' has no statement for {month}", EmployersCodes.NoStatement);

    /// <summary>The group's summary of a closed month, signed with the node's key.</summary>
    public string SummaryStatement(Caller caller, string month) => Sign(StatementXml.Summary(Closed(caller, month)));

    /// <summary>
    /// For the group's views, which admitted the fetching member node already: its own statement of a closed month, or
    /// the summary when <paramref name="member"/> is null; null when the month is not closed or the member has none.
    /// </summary>
    public string? SignedStatement(string month, string? member)
    {
        if (!MonthPattern().IsMatch(month)) return null;
        if (modules.Read(GroupIndex.Module, data => new GroupIndex(data).ClosedMonth(month)) is not { } closed) return null;
        return member is null ? Sign(StatementXml.Summary(closed)) : StatementOf(closed, member);
    }

    private string? StatementOf(ClosedMonth closed, string member)
    {
        var actor = closed.MemberNames.Keys.Concat(closed.Workers.SelectMany(w => w.Shares).Select(s => s.Member))
            .FirstOrDefault(a => a == member || (Uri.TryCreate(a, UriKind.Absolute, out var u) && u.Authority == member));
        return actor is null ? null : Sign(StatementXml.Member(closed, actor));
    }

    /// <summary>What the coordinator is warned about, not refused: more members than the group's size limit (<c>size_limit_exceeded</c>).</summary>
    public IReadOnlyList<string> Warnings(Caller caller)
    {
        Require(caller, AccessLevel.Read);
        return Group() is { SizeLimit: { } limit } group && group.Members.Count > limit ? [SizeLimitExceeded] : [];
    }

    public const string SizeLimitExceeded = "size_limit_exceeded";

    /// <summary>The group's settings as the rules keep them, or null before they are written; for pages and handlers.</summary>
    public GroupIndex.GroupEntry? Group() => modules.Read(GroupIndex.Module, data => new GroupIndex(data).GroupSettings());

    private string Sign(System.Xml.XmlDocument statement)
    {
        using var rsa = signingKey.OpenRsa();
        return StatementSignature.Sign(statement, rsa);
    }

    private void Require(Caller caller, AccessLevel level)
    {
        var group = Group() ?? throw NoGroup();
        var dataset = datasets.Find(group.Dataset) ?? throw NoGroup();
        DatasetAccess.Require(caller, dataset, level);
    }

    private static ConflictException NoGroup() => new("the node keeps no employers' group yet: write its settings first", EmployersCodes.NoGroup);

    private static void RequireMonth(string month)
    {
        if (!MonthPattern().IsMatch(month)) throw ValidationException.For("month", "a month is YYYY-MM");
    }
}
