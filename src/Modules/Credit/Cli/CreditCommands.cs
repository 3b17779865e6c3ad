using System.CommandLine;
using Commons.Modules.Credit.Audit;
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

        var audit = new Command("audit", "Audit each joined ledger's whole group: every member's signed statement and transactions, both sides, both signatures, sum, limits and chains; one line per failure, exit 1 if any.");
        audit.SetAction(async (_, ct) =>
        {
            var c = context();
            var ledgers = c.Get<CreditLedgers>();
            var failed = 0;
            var audited = 0;
            foreach (var ledger in ledgers.All().Where(d => ledgers.Read(b => b.Binding(d.Slug)) is not null))
            {
                var result = await c.Get<CreditGroupAudit>().AuditAsync(c.Operator, ledger.Slug, ct);
                audited++;
                foreach (var f in result.Failures)
                {
                    failed++;
                    var about = string.Join(", ", new[] { f.Member is { } m ? $"member {m}" : null, f.Transaction is { } t ? $"transaction {t}" : null }.OfType<string>());
                    c.Out.WriteLine($"{ledger.Slug}: {(about.Length > 0 ? about + ": " : "")}{f.Detail} [{f.Code}]");
                }
                if (result.Passed) c.Out.WriteLine($"{ledger.Slug}: group {result.Group} adds up: {result.Members} member(s), {result.Transactions} transaction(s)");
            }
            c.Out.WriteLine(failed == 0 ? $"audit passed: {audited} ledger(s)" : $"audit failed: {failed} failure(s)");
            return failed == 0 ? 0 : 1;
        });
        credit.Add(audit);
        return credit;
    }
}
