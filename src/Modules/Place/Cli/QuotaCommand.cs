using System.CommandLine;
using Commons.Modules.Place.Services;
using Commons.Platform;

namespace Commons.Modules.Place.Cli;

/// <summary>
/// <c>commons-node place quota RESOURCE [HOURS] [--decision REF]</c> sets or removes a resource's monthly quota (a
/// governed setting), and <c>place quota-history RESOURCE</c> lists the changes with the decision behind each.
/// </summary>
public static class QuotaCommand
{
    public static IEnumerable<Command> Build(Func<ModuleCommandContext> context)
    {
        var resource = new Argument<string>("resource") { Description = "The resource's id." };
        var hours = new Argument<int?>("hours") { Description = "Hours per organisation and month; left out, the quota is removed.", Arity = ArgumentArity.ZeroOrOne };
        var decision = new Option<string?>("--decision") { Description = "The adopted decision that authorises the change, when a committee governs place.quota." };
        var quota = new Command("quota", "Set or remove a resource's monthly quota (governed: with an adopted decision).") { resource, hours, decision };
        quota.SetAction(parse =>
        {
            var c = context();
            var set = c.Get<PlaceQuotaGovernance>().Change(c.Operator, parse.GetValue(resource)!, parse.GetValue(hours), parse.GetValue(decision));
            c.Out.WriteLine($"{parse.GetValue(resource)}: {(set is { } h ? $"{h} h per organisation and month" : "no quota")}");
            return 0;
        });
        yield return quota;

        var of = new Argument<string>("resource") { Description = "The resource's id." };
        var history = new Command("quota-history", "The changes of the quotas of the resource's dataset, newest first, with the decision behind each.") { of };
        history.SetAction(parse =>
        {
            var c = context();
            foreach (var change in c.Get<PlaceQuotaGovernance>().History(c.Operator, parse.GetValue(of)!))
                c.Out.WriteLine($"{change.At:O} {change.ChangedBy} decision {change.DecisionRef ?? "-"} {change.DecisionTitle}");
            return 0;
        });
        yield return history;
    }
}
