using System.CommandLine;
using Commons.Modules.Employers.Services;
using Commons.Platform;

namespace Commons.Modules.Employers.Cli;

/// <summary>
/// <c>commons-node employers close MONTH</c>, <c>commons-node employers statement verify FILE</c> and the member's
/// side (<c>hours send|list</c>, <c>statement fetch</c>): one line each, a check's line ending with its code.
/// </summary>
public static class EmployersCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var employers = new Command("employers", "The employers' group: close a month, verify a signed statement; as a member, send hours and fetch statements.");

        var month = new Argument<string>("month") { Description = "The month to close, YYYY-MM." };
        var close = new Command("close", "Close a month: split each worker's cost among the members and keep it; later hours for it are refused.") { month };
        close.SetAction(parse =>
        {
            var c = context();
            var closed = c.Get<EmployersService>().CloseMonth(c.Operator, parse.GetValue(month)!);
            c.Out.WriteLine($"closed {closed.Month}: {closed.Workers.Count} workers, {closed.Workers.Sum(w => w.Shares.Sum(s => s.Amount)):0.00} EUR split");
            return 0;
        });
        employers.Add(close);

        var verify = StatementVerifyCommand.Build(() => context().Out, Path.GetFullPath);
        var statement = new Command("statement", "Signed statements of the group.") { verify, MembershipCommands.FetchStatement(context) };
        employers.Add(statement);
        employers.Add(MembershipCommands.Hours(context));
        return employers;
    }
}
