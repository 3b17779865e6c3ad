using System.CommandLine;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Core.Services;

namespace Commons.Node.Cli;

internal static class DatasetCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var dataset = new Command("dataset", "Look at the node's datasets.");
        var list = new Command("list", "List datasets with their policy and size.");
        list.SetAction(p =>
        {
            var c = context();
            var records = c.Get<IRecordStore>();
            var feed = c.Get<IChangeFeed>();
            c.Out.WriteLine($"{"SLUG",-24} {"POLICY",-9} {"RECORDS",8} {"LAST SEQ",9} TITLE");
            foreach (var d in c.Get<DatasetService>().ListVisible(CliContext.Operator))
                c.Out.WriteLine($"{d.Slug,-24} {d.Policy.ToString().ToLowerInvariant(),-9} {records.Count(d.Key),8} {feed.LastSeq(d.Key),9} {d.Title.In("en")}");
            return 0;
        });
        dataset.Add(list);
        dataset.Add(PolicyCommand(context));
        dataset.Add(SharingHistoryCommand(context));
        return dataset;
    }

    /// <summary><c>dataset policy SLUG POLICY [--decision REF]</c>: a governed setting (datasets.policy) while a committee governs it.</summary>
    private static Command PolicyCommand(Func<CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The dataset's slug." };
        var policy = new Argument<SharingPolicy>("policy") { Description = "private, peers, approval or public." };
        var decision = new Option<string?>("--decision") { Description = "The adopted decision that authorises the change, when a committee governs datasets.policy." };
        var command = new Command("policy", "Change a dataset's sharing policy (governed: with an adopted decision).") { slug, policy, decision };
        command.SetAction(p =>
        {
            var c = context();
            var d = c.Get<DatasetService>().Update(CliContext.Operator, p.GetValue(slug)!, new DatasetDraft { Policy = p.GetValue(policy), Decision = p.GetValue(decision) });
            c.Out.WriteLine($"{d.Slug}: {d.Policy.ToString().ToLowerInvariant()}");
            return 0;
        });
        return command;
    }

    private static Command SharingHistoryCommand(Func<CliContext> context)
    {
        var slug = new Argument<string>("slug") { Description = "The dataset's slug." };
        var command = new Command("sharing-history", "A dataset's changes of sharing, newest first, with the decision behind each.") { slug };
        command.SetAction(p =>
        {
            var c = context();
            foreach (var change in c.Get<DatasetService>().SharingHistory(CliContext.Operator, p.GetValue(slug)!))
                c.Out.WriteLine($"{change.At:O} {change.ChangedBy} decision {change.DecisionRef ?? "-"} {change.DecisionTitle}");
            return 0;
        });
        return command;
    }
}
