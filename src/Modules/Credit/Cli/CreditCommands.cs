using System.CommandLine;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Platform;

namespace Commons.Modules.Credit.Cli;

/// <summary><c>commons-node credit balance</c> and <c>commons-node credit audit</c>: each joined ledger's standing, and its check, for the operator.</summary>
public static class CreditCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var credit = new Command("credit", "Look at this node's mutual credit ledgers: balances and their audit.");

        var balance = new Command("balance", "List each joined ledger's account, balance, reserved and expected amounts, count and chain head.");
        balance.SetAction(_ =>
        {
            var c = context();
            var service = c.Get<CreditService>();
            c.Out.WriteLine($"{"LEDGER",-20} {"UNIT",-5} {"BALANCE",14} {"RESERVED",14} {"EXPECTED",14} {"COUNT",6} {"HEAD",-16} ACCOUNT");
            foreach (var ledger in c.Get<CreditLedgers>().All().Where(d => c.Get<CreditLedgers>().Read(b => b.Binding(d.Slug)) is not null))
            {
                var (account, binding, group) = service.Standing(c.Operator, ledger.Slug);
                c.Out.WriteLine($"{ledger.Slug,-20} {group.Symbol,-5} {Amounts.Text(account.Balance),14} {Amounts.Text(account.Reserved),14} {Amounts.Text(account.Expected),14} {account.Count,6} {account.Head[..16],-16} {binding.Account}");
            }
            return 0;
        });
        credit.Add(balance);

        var audit = new Command("audit", "Check each joined ledger's hash chain, count, balance and limits against its account; one line per failure, exit 1 if any.");
        audit.SetAction(_ =>
        {
            var c = context();
            var results = c.Get<CreditService>().AuditLedgers(c.Operator);
            var failed = 0;
            foreach (var (ledger, failures) in results)
                foreach (var f in failures)
                {
                    failed++;
                    c.Out.WriteLine($"{ledger}: {(f.Transaction is { } t ? $"transaction {t}: " : "")}{f.Detail} [{f.Code}]");
                }
            c.Out.WriteLine(failed == 0 ? $"audit passed: {results.Count} ledger(s)" : $"audit failed: {failed} failure(s)");
            return failed == 0 ? 0 : 1;
        });
        credit.Add(audit);
        return credit;
    }
}
