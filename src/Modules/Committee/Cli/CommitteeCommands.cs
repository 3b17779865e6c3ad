using System.CommandLine;
using Commons.Core.Governance;
using Commons.Modules.Committee.Services;
using Commons.Platform;

namespace Commons.Modules.Committee.Cli;

/// <summary>
/// <c>commons-node committee verify ID</c> (recount a decision, here or in a followed decisions dataset),
/// <c>committee close DATASET ID</c> (close a proposal whose time has come), <c>committee history SETTING [SCOPE]</c> and
/// <c>committee followup DECISION</c> (the owner organisation's update, <see cref="FollowUpCommand"/>).
/// </summary>
public static class CommitteeCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var committee = new Command("committee", "The steering committee: recount a decision, close a proposal, read a governed setting's history.");

        var verifyId = new Argument<string>("id") { Description = "The decision's id (its proposal's)." };
        var verify = new Command("verify", "Recount a decision: every ballot's signature against its voter, membership, one ballot per member, the outcome again; exit 1 naming each failure.") { verifyId };
        verify.SetAction(async (parse, ct) =>
        {
            var c = context();
            var report = await c.Get<CommitteeService>().RecountAsync(c.Operator, parse.GetValue(verifyId)!, ct);
            foreach (var f in report.Failures)
                c.Out.WriteLine($"{(f.Ballot is { } n ? $"ballot {n} ({f.Voter}): " : "")}{f.Detail} [{f.Code}]");
            c.Out.WriteLine(report.Verified
                ? $"recount verified: {report.Decision} {report.Outcome}, {report.Ballots} signed ballot(s)"
                : $"recount failed: {report.Decision}, {report.Failures.Count} failure(s) [recount_failed]");
            return report.Verified ? 0 : 1;
        });
        committee.Add(verify);

        var closeDataset = new Argument<string>("dataset") { Description = "The proposals dataset's slug." };
        var closeId = new Argument<string>("id") { Description = "The proposal's id." };
        var close = new Command("close", "Close a proposal at or after its closing time and write its decision.") { closeDataset, closeId };
        close.SetAction(parse =>
        {
            var c = context();
            var decision = c.Get<CommitteeService>().Close(c.Operator, parse.GetValue(closeDataset)!, parse.GetValue(closeId)!);
            c.Out.WriteLine($"{decision.GetProperty("proposal").GetString()}: {decision.GetProperty("outcome").GetString()}");
            return 0;
        });
        committee.Add(close);

        var setting = new Argument<string>("setting") { Description = $"One of {string.Join(", ", GovernedSettings.All)}." };
        var scope = new Argument<string>("scope") { Description = "The group, resource or dataset; * by default.", DefaultValueFactory = _ => "*" };
        var history = new Command("history", "A governed setting's changes for a scope, newest first, with the decision behind each.") { setting, scope };
        history.SetAction(parse =>
        {
            var c = context();
            foreach (var change in c.Get<CommitteeService>().History(c.Operator, parse.GetValue(setting)!, parse.GetValue(scope)!))
                c.Out.WriteLine($"{change.At:O} {change.ChangedBy} decision {change.DecisionRef ?? "-"} {change.DecisionTitle}");
            return 0;
        });
        committee.Add(history);
        committee.Add(FollowUpCommand.Build(context));
        return committee;
    }
}
