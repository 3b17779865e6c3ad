using System.CommandLine;
using Commons.Modules.Committee.Services;
using Commons.Platform;

namespace Commons.Modules.Committee.Cli;

/// <summary>
/// <c>verify ID</c>: recount a decision held on this node (our own, or a replica of a followed decisions dataset); one
/// line per failure ending <c>[code]</c>, then the verdict; exit 1 on failure. The same command under
/// <c>commons-node committee verify</c> and the node-level <c>commons-node decision verify</c>.
/// </summary>
public static class DecisionVerifyCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var id = new Argument<string>("id") { Description = "The decision's id (its proposal's)." };
        var verify = new Command("verify", "Recount a decision: every ballot's signature against its voter, membership, one ballot per member, the outcome again; exit 1 naming each failure.") { id };
        verify.SetAction(async (parse, ct) =>
        {
            var c = context();
            var report = await c.Get<CommitteeService>().RecountAsync(c.Operator, parse.GetValue(id)!, ct);
            foreach (var f in report.Failures)
                c.Out.WriteLine($"{(f.Ballot is { } n ? $"ballot {n} ({f.Voter}): " : "")}{f.Detail} [{f.Code}]");
            c.Out.WriteLine(report.Verified
                ? $"recount verified: {report.Decision} {report.Outcome}, {report.Ballots} signed ballot(s)"
                : $"recount failed: {report.Decision}, {report.Failures.Count} failure(s) [recount_failed]");
            return report.Verified ? 0 : 1;
        });
        return verify;
    }
}
