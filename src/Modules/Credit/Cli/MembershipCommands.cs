using System.CommandLine;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services.Membership;
using Commons.Platform;

namespace Commons.Modules.Credit.Cli;

/// <summary><c>commons-node credit join ADDRESS [--group ID]</c> and <c>commons-node credit groups [--refresh]</c>.</summary>
public static class MembershipCommands
{
    public static Command Join(Func<ModuleCommandContext> context)
    {
        var address = new Argument<string>("address") { Description = "The coordinating node's group dataset: its handle (groups@host) or URL." };
        var group = new Option<string?>("--group") { Description = "The group's id, when that node lists this one in several groups." };
        var command = new Command("join", "Join the exchange group offered at ADDRESS: the ledger it lists for this node is bound to it, shared with the other members, and their ledgers followed.")
        {
            address, group,
        };
        command.SetAction(async (parse, ct) =>
        {
            var c = context();
            var membership = c.Get<CreditMembership>();
            var offer = await membership.OfferAsync(c.Operator, parse.GetValue(address)!, parse.GetValue(group), ct);
            var t = offer.Terms;
            c.Out.WriteLine($"group {offer.Group} at {offer.GroupDataset ?? "this node"}: unit {t.Symbol} ({t.Precision} decimals), limits {Amounts.Text(offer.Own.Lowest)}…{Amounts.Text(offer.Own.Highest)}, " +
                $"timeout {(int)t.TransferTimeout.TotalMinutes} min, {t.Members.Count} members" + (t.EuroValue is { } e ? $", 1 {t.Symbol} = {Amounts.Text(e)} EUR" : ""));
            var joined = await membership.JoinAsync(c.Operator, parse.GetValue(address)!, offer.Group, ct);
            c.Out.WriteLine(Line(membership, joined));
            return 0;
        });
        return command;
    }

    public static Command Groups(Func<ModuleCommandContext> context)
    {
        var refresh = new Option<bool>("--refresh") { Description = "Apply every membership again first (terms, sharing, follows)." };
        var command = new Command("groups", "List the exchange groups this node's ledgers joined: sharing, follows of the other members' ledgers, and the last pass's problem.") { refresh };
        command.SetAction(async (parse, ct) =>
        {
            var c = context();
            var membership = c.Get<CreditMembership>();
            if (parse.GetValue(refresh)) await membership.RefreshAsync(c.Operator, ct);
            var all = membership.List(c.Operator);
            foreach (var m in all) c.Out.WriteLine(Line(membership, m));
            if (all.Count == 0) c.Out.WriteLine("no ledger has joined an exchange group");
            return 0;
        });
        return command;
    }

    /// <summary>One line per membership: ledger, group, where, shared with how many, follows accepted of all, and the problem's code last.</summary>
    private static string Line(CreditMembership membership, MembershipState m)
    {
        var accepted = m.Followed.Count(l => membership.FollowState(l) == "accepted");
        var line = $"{m.Ledger}: group {m.Group} ({m.GroupDataset ?? "defined here"}), shared with {m.SharedHosts.Count} node(s), following {accepted}/{m.Followed.Count} member ledger(s)";
        return m.Problem is { } p ? $"{line}: {m.ProblemDetail} [{p}]" : line;
    }
}
