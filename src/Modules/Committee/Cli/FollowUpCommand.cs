using System.CommandLine;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Services;
using Commons.Platform;

namespace Commons.Modules.Committee.Cli;

/// <summary>
/// <c>commons-node committee followup DECISION [--status S] [--due yyyy-MM-dd[=what]]…</c> on the owner organisation's
/// node: sends the update to the coordinator and waits (at most <c>--wait</c> seconds) for its answer, printed as one line.
/// </summary>
public static class FollowUpCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var decision = new Argument<string>("decision") { Description = "The decision's id (its proposal's), as this node's replica of the decisions holds it." };
        var status = new Option<string?>("--status") { Description = $"The new status: {string.Join(", ", FollowUp.Statuses)}." };
        var due = new Option<string[]>("--due") { Description = "A due date, yyyy-MM-dd or yyyy-MM-dd=what; repeat for several; replaces the list.", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the coordinator's answer (0: do not wait).", DefaultValueFactory = _ => 30 };
        var command = new Command("followup", "Update the follow-up of an adopted decision this node owns: sent to the coordinator, which writes it.") { decision, status, due, wait };
        command.SetAction(async (parse, ct) =>
        {
            var c = context();
            var dueDates = parse.GetValue(due) is { Length: > 0 } given ? given.Select(Due).ToList() : null;
            var sent = await c.Get<CommitteeFollowUps>().UpdateAsync(c.Operator, parse.GetValue(decision)!, parse.GetValue(status), dueDates, ct);
            var answer = await AnswerAsync(c.Get<IExchangeGateway>(), sent, TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(wait))), ct);
            switch (answer.State)
            {
                case ExchangeState.Accepted:
                    c.Out.WriteLine($"follow-up of {parse.GetValue(decision)} accepted by {answer.TargetActor}");
                    return 0;
                case ExchangeState.Pending:
                    c.Out.WriteLine($"follow-up of {parse.GetValue(decision)} sent, no answer yet (request {answer.Id}); 'GET /api/committee/followups' shows the answer when it comes");
                    return 0;
                default:
                    c.Out.WriteLine($"error: follow-up of {parse.GetValue(decision)} {answer.State.ToString().ToLowerInvariant()}: {answer.Detail} [{answer.Code ?? "request_refused"}]");
                    return 1;
            }
        });
        return command;
    }

    private static DueDate Due(string text)
    {
        var eq = text.IndexOf('=');
        return eq < 0 ? new DueDate(text, null) : new DueDate(text[..eq], text[(eq + 1)..]);
    }

    // The answer comes back on the exchange from the coordinator's inbox delivery; until then it is pending.
    private static async Task<Exchange> AnswerAsync(IExchangeGateway gateway, Exchange sent, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var current = sent;
        while (current.State == ExchangeState.Pending && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            current = gateway.Find(sent.Id) ?? current;
        }
        return current;
    }
}
