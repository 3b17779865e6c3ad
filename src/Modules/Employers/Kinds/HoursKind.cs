using System.Globalization;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Employers.Kinds;

/// <summary>
/// Hours a worker worked for a member in a month, entered by the member (on its own node, sent here as a request) or
/// by the coordinator. Refused, nothing stored: a worker not assigned to that member (<c>worker_not_assigned</c>), a
/// closed month (<c>month_closed</c>), a month the worker is not employed in (<c>month_outside_employment</c>), more
/// hours in the month than the contract allows for its employed days (<c>hours_over_contract</c>).
/// </summary>
public sealed class HoursKind : DatasetKind
{
    public const string KindName = "employers.hours";
    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = EmployersSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Groupement d’employeurs : heures", "Werkgeversgroepering: uren", "Employers’ group: hours");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Peers;
    public override IReadOnlyList<string> ProblemCodes => EmployersCodes.OfHours;
    public override TimeSpan RequestTimeout => TimeSpan.FromHours(1);

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new GroupIndex(data);
        if (write.Previous is { } previous)
        {
            var (pw, pm, pmonth) = Key(previous.Data);
            RefuseClosed(index, pmonth);
            index.RemoveHours(pmonth, pw, pm);
        }
        if (write.IsDelete) return;

        var d = write.Next.Data;
        var (worker, member, month) = Key(d);
        var hours = Amounts.Parse(d.GetProperty("hours"));
        RefuseClosed(index, month);
        if (index.Assignment(worker, member) is null || index.Worker(worker) is not { } contract)
            throw new RuleViolationException(EmployersCodes.WorkerNotAssigned, "Worker not assigned",
                $"worker '{worker}' is not assigned to '{member}'", "worker");
        if (index.HoursOf(month, worker, member) is { } other)
            throw new RuleConflictException(EmployersCodes.HoursExist, "Hours already entered",
                $"the hours of '{worker}' for '{member}' in {month} are record '{other.Id}' of '{other.Dataset}'; change that one");
        var employed = Employment.DaysEmployed(contract.Start, contract.End, month);
        if (employed == 0)
            throw new RuleViolationException(EmployersCodes.MonthOutsideEmployment, "Not employed that month",
                $"worker '{worker}' is not employed in {month} (from {contract.Start ?? "—"} to {contract.End ?? "—"})", "month");
        var allowed = Allowed(contract.HoursPerWeek, month, employed);
        var total = index.HoursOf(month, worker).Sum(h => h.Hours) + hours;
        if (total > allowed)
            throw new RuleConflictException(EmployersCodes.HoursOverContract, "More hours than the contract allows",
                $"worker '{worker}' would have {total} hours in {month}; the contract allows {allowed}");
        index.PutHours(new GroupIndex.HoursEntry(write.Dataset.Slug, write.Next.Id, worker, member, month, hours));
    }

    /// <summary>
    /// The contract's hours in a month: weekly hours × the month's employed days ÷ 7 (every day of it when
    /// <paramref name="employedDays"/> is not given), rounded down to the hundredth.
    /// </summary>
    public static decimal Allowed(decimal hoursPerWeek, string month, int? employedDays = null)
    {
        var m = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = employedDays ?? DateTime.DaysInMonth(m.Year, m.Month);
        return decimal.Floor(hoursPerWeek * days * 100m / 7m) / 100m;
    }

    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        var index = new GroupIndex(data);
        // Closed months keep their allocation; the hours behind them go with their dataset.
        foreach (var h in index.AllHours().Where(h => h.Dataset == dataset.Slug)) index.RemoveHours(h.Month, h.Worker, h.Member);
    }

    private static void RefuseClosed(GroupIndex index, string month)
    {
        if (index.IsClosed(month))
            throw new RuleConflictException(EmployersCodes.MonthClosed, "Month closed", $"{month} is closed; its hours no longer change");
    }

    private static (string Worker, string Member, string Month) Key(System.Text.Json.JsonElement d) =>
        (d.GetProperty("worker").GetString()!, d.GetProperty("member").GetString()!, d.GetProperty("month").GetString()!);
}
