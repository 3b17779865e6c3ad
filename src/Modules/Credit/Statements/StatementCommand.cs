using System.CommandLine;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Services;
using Commons.Platform;

namespace Commons.Modules.Credit.Statements;

/// <summary>
/// <c>commons-node credit statement --month YYYY-MM --xml FILE [--csv FILE] [--ledger SLUG]</c>: a joined ledger's
/// month statement written to files, the XML signed by the node's key (check it with <c>commons-node statement verify</c>).
/// </summary>
public static class StatementCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var month = new Option<string>("--month") { Description = "The month, YYYY-MM (Brussels time).", Required = true };
        var xml = new Option<string?>("--xml") { Description = "Where to write the statement signed with XMLDSig." };
        var csv = new Option<string?>("--csv") { Description = "Where to write the statement as CSV." };
        var ledger = new Option<string?>("--ledger") { Description = "The ledger (its dataset's slug); the only joined one when absent." };
        var command = new Command("statement", "Write a joined ledger's month statement: signed XML (--xml) and/or CSV (--csv).") { month, xml, csv, ledger };
        command.SetAction(async (parse, ct) =>
        {
            var c = context();
            var (xmlFile, csvFile) = (parse.GetValue(xml), parse.GetValue(csv));
            if (xmlFile is null && csvFile is null) throw ValidationException.For("--xml", "a file to write: --xml FILE, --csv FILE or both");
            var slug = parse.GetValue(ledger) ?? OnlyLedger(c);
            var when = StatementMonth.Parse(parse.GetValue(month), c.Get<TimeProvider>().GetUtcNow());
            if (xmlFile is not null)
            {
                var signed = await c.Get<CreditStatements>().SignedAsync(c.Operator, slug, when, ct);
                await File.WriteAllTextAsync(Path.GetFullPath(xmlFile), signed.Xml, ct);
                c.Out.WriteLine($"{slug}: signed statement of {when} written to {Path.GetFullPath(xmlFile)}");
            }
            if (csvFile is not null)
            {
                await File.WriteAllTextAsync(Path.GetFullPath(csvFile), StatementCsv.Write(c.Get<CreditAccounts>().StatementOf(c.Operator, slug, when)), ct);
                c.Out.WriteLine($"{slug}: statement of {when} written to {Path.GetFullPath(csvFile)}");
            }
            return 0;
        });
        return command;
    }

    private static string OnlyLedger(ModuleCommandContext c)
    {
        var ledgers = c.Get<CreditLedgers>();
        var joined = ledgers.All().Where(d => ledgers.Read(b => b.Binding(d.Slug)) is not null).Select(d => d.Slug).ToList();
        return joined switch
        {
            [var one] => one,
            [] => throw new RuleConflictException(Kinds.CreditCodes.LedgerNotJoined, "No group", "this node has no ledger joined to an exchange group"),
            _ => throw ValidationException.For("--ledger", $"one of {string.Join(", ", joined)}"),
        };
    }
}
