using System.CommandLine;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Platform;

namespace Commons.Modules.Credit.Cli;

/// <summary><c>commons-node credit balance</c> and <c>commons-node credit audit</c>: each joined ledger's standing, and its check, for the operator.</summary>
public static class CreditCommands
{
    /// <summary><c>credit limits GROUPS GROUP --lowest L --highest H [--member ACTOR=LOW:HIGH]… [--member ACTOR=] [--decision REF]</c>.</summary>
    private static Command LimitsCommand(Func<ModuleCommandContext> context)
    {
        var groups = new Argument<string>("groups") { Description = "The dataset that holds the exchange groups (its slug)." };
        var group = new Argument<string>("group") { Description = "The group's id." };
        var lowest = new Option<string>("--lowest") { Description = "The group's lowest balance, decimal text (-100).", Required = true };
        var highest = new Option<string>("--highest") { Description = "The group's highest balance, decimal text (100).", Required = true };
        var member = new Option<string[]>("--member") { Description = "A member's own limits, ACTOR=LOW:HIGH; ACTOR= drops its override.", AllowMultipleArgumentsPerToken = false };
        var decision = new Option<string?>("--decision") { Description = "The adopted decision that authorises the change, when a committee governs credit limits." };
        var command = new Command("limits", "Change an exchange group's limits and members' overrides (governed: with an adopted decision).")
        {
            groups, group, lowest, highest, member, decision,
        };
        command.SetAction(parse =>
        {
            var c = context();
            var overrides = (parse.GetValue(member) ?? []).Select(ParseMember).ToList();
            var terms = c.Get<CreditLimits>().Change(c.Operator, parse.GetValue(groups)!, parse.GetValue(group)!,
                new LimitsChange(parse.GetValue(lowest), parse.GetValue(highest), overrides, parse.GetValue(decision)));
            c.Out.WriteLine($"limits of {parse.GetValue(group)}: {Amounts.Text(terms.Lowest)}…{Amounts.Text(terms.Highest)} {terms.Symbol}");
            foreach (var m in terms.Members) c.Out.WriteLine($"  {m.Actor}: {Amounts.Text(m.Lowest)}…{Amounts.Text(m.Highest)}");
            return 0;
        });
        return command;
    }

    private static MemberLimits ParseMember(string text)
    {
        var eq = text.LastIndexOf('=');
        if (eq <= 0) throw Core.Errors.ValidationException.For("--member", "ACTOR=LOW:HIGH, or ACTOR= to drop the override");
        var limits = text[(eq + 1)..];
        if (limits.Length == 0) return new MemberLimits(text[..eq], null, null);
        var colon = limits.IndexOf(':');
        if (colon <= 0 || colon == limits.Length - 1) throw Core.Errors.ValidationException.For("--member", "ACTOR=LOW:HIGH, or ACTOR= to drop the override");
        return new MemberLimits(text[..eq], limits[..colon], limits[(colon + 1)..]);
    }

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
        credit.Add(LimitsCommand(context));
        credit.Add(Statements.StatementCommand.Build(context));
        credit.Add(MembershipCommands.Join(context));
        credit.Add(MembershipCommands.Groups(context));
        return credit;
    }
}
