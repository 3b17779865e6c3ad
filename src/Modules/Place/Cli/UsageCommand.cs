using System.CommandLine;
using System.Globalization;
using Commons.Modules.Place.Usage;
using Commons.Platform;

namespace Commons.Modules.Place.Cli;

/// <summary><c>commons-node place usage --month YYYY-MM [--csv]</c>: the month's usage per booking organisation, as the operator (who sees every organisation).</summary>
public static class UsageCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var month = new Option<string?>("--month") { Description = "The Brussels calendar month, YYYY-MM; this month when absent." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (RFC 4180) instead of a table." };
        var usage = new Command("usage", "The usage of the place in a month per booking organisation: hours, cost in € and credit units, late cancellations, bookings.") { month, csv };
        usage.SetAction(parse =>
        {
            var c = context();
            var report = c.Get<UsageReport>();
            var table = report.Of(c.Operator, UsageMonth.Parse(parse.GetValue(month), report.Now));
            if (parse.GetValue(csv))
            {
                c.Out.Write(UsageCsv.Write(table));
                return 0;
            }
            c.Out.WriteLine($"{"ORGANISATION",-32} {"HOURS",8} {"EUR",10} {"CREDIT",10} {"LATE",5} {"BOOKINGS",8}  ({table.Month})");
            foreach (var r in table.Rows.Append(table.Total))
                c.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Organisation.Name,-32} {r.Hours,8:0.00} {r.CostEur,10:0.00} {r.CostCredit,10:0.00} {r.LateCancellations,5} {r.Bookings,8}"));
            return 0;
        });
        return usage;
    }
}
