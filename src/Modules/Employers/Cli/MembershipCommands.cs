using System.CommandLine;
using Commons.Modules.Employers.Services;
using Commons.Platform;

namespace Commons.Modules.Employers.Cli;

/// <summary>
/// The member's side on a member organisation's node: <c>employers hours send GROUP WORKER MONTH HOURS</c>,
/// <c>employers hours list GROUP [--month]</c> and <c>employers statement fetch GROUP MONTH [--out FILE]</c>, GROUP being
/// the subscription to the group's settings dataset (<c>employers/api/memberships</c> lists them).
/// </summary>
public static class MembershipCommands
{
    public static Command Hours(Func<ModuleCommandContext> context)
    {
        var group = new Argument<string>("group") { Description = "The group: this node's subscription id to its settings dataset." };
        var worker = new Argument<string>("worker") { Description = "The worker's id in the group." };
        var month = new Argument<string>("month") { Description = "The month, YYYY-MM." };
        var hours = new Argument<string>("hours") { Description = "Hours worked for this organisation, at most two decimals." };
        var send = new Command("send", "Send the hours one worker worked for this organisation in a month to the group node; it answers later.") { group, worker, month, hours };
        send.SetAction(async (parse, ct) =>
        {
            var c = context();
            var sent = await c.Get<MemberGroups>().SendHoursAsync(c.Operator, parse.GetValue(group)!,
                new HoursEntry(parse.GetValue(worker)!, parse.GetValue(month)!, parse.GetValue(hours)!), ct);
            c.Out.WriteLine($"sent {sent.Worker} {sent.Month} {sent.Hours} h: {sent.State} ({sent.Ref})");
            return 0;
        });

        var listGroup = new Argument<string>("group") { Description = "The group: this node's subscription id to its settings dataset." };
        var only = new Option<string?>("--month") { Description = "Only this month's hours, YYYY-MM." };
        var list = new Command("list", "The hours this node sent to the group, newest first, with the group's answer: one line each.") { listGroup, only };
        list.SetAction(parse =>
        {
            var c = context();
            foreach (var h in c.Get<MemberGroups>().Hours(c.Operator, parse.GetValue(listGroup)!, parse.GetValue(only)))
                c.Out.WriteLine($"{h.Month} {h.Worker} {h.Hours} h: {h.State}{(h.Code is { } code ? $" [{code}]" : "")}");
            return 0;
        });
        return new Command("hours", "As a member organisation: hours sent to the group.") { send, list };
    }

    public static Command FetchStatement(Func<ModuleCommandContext> context)
    {
        var group = new Argument<string>("group") { Description = "The group: this node's subscription id to its settings dataset." };
        var month = new Argument<string>("month") { Description = "The closed month, YYYY-MM." };
        var output = new Option<string?>("--out") { Description = "Write the signed XML to this file (only when it checks)." };
        var summary = new Option<bool>("--summary") { Description = "The group's summary instead of this member's statement." };
        var fetch = new Command("fetch", "As a member organisation: fetch a statement from the group node and check it against the key that node publishes; one line with its code.")
            { group, month, output, summary };
        fetch.SetAction(async (parse, ct) =>
        {
            var c = context();
            var s = await c.Get<MemberGroups>().StatementAsync(c.Operator, parse.GetValue(group)!, parse.GetValue(month)!, parse.GetValue(summary), ct);
            if (s.Valid && parse.GetValue(output) is { } file) await File.WriteAllTextAsync(Path.GetFullPath(file), s.Xml, ct);
            var total = s.Total is { } t ? $", total {t:0.00} EUR" : "";
            c.Out.WriteLine($"{(s.Valid ? "valid" : "invalid")}: {s.Detail}{total}, signed by {s.Signer}{(s.KeyFingerprint is { } fp ? $", key sha256:{fp}" : "")} [{s.Code}]");
            return s.Valid ? 0 : 1;
        });
        return fetch;
    }
}
