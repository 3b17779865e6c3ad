using System.CommandLine;
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
        return dataset;
    }
}
