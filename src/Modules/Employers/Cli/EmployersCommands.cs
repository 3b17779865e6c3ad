using System.CommandLine;
using Commons.Modules.Employers.Services;
using Commons.Modules.Employers.Statements;
using Commons.Platform;

namespace Commons.Modules.Employers.Cli;

/// <summary>
/// <c>commons-node employers close MONTH</c> and <c>commons-node employers statement verify FILE</c>: one line each,
/// ending with its code.
/// </summary>
public static class EmployersCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var employers = new Command("employers", "The employers' group: close a month, verify a signed statement.");

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

        var file = new Argument<FileInfo>("file") { Description = "The statement's XML file." };
        var verify = new Command("verify", "Check a statement's XMLDSig signature: one line, valid or invalid, with its code.") { file };
        verify.SetAction(parse =>
        {
            var c = context();
            var path = parse.GetValue(file)!;
            if (!path.Exists) { c.Out.WriteLine($"invalid: no file {path.FullName} [{StatementSignature.Malformed}]"); return 1; }
            var check = StatementSignature.Verify(File.ReadAllText(path.FullName));
            var key = check.KeyFingerprint is { } fp ? $", key sha256:{fp}" : "";
            c.Out.WriteLine($"{(check.Valid ? "valid" : "invalid")}: {check.Detail}{key} [{check.Code}]");
            return check.Valid ? 0 : 1;
        });
        var statement = new Command("statement", "Signed statements of the group.") { verify };
        employers.Add(statement);
        return employers;
    }
}
