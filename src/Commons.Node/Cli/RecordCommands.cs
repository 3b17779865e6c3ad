using System.CommandLine;
using System.Globalization;
using Commons.Core.Records;
using Commons.Core.Services;

namespace Commons.Node.Cli;

/// <summary>
/// <c>records import DATASET FILE</c>: a CSV or JSON file into a dataset, in batches through <see cref="RecordService.CreateMany"/>
/// (each batch all or nothing). It stops at the first refused batch, printing each failing record on its own line ending
/// <c>[code]</c>; the batches before it stay imported, and <c>--skip N</c> starts again after the N records already in.
/// </summary>
internal static class RecordCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var records = new Command("records", "Work with the records of a dataset.");
        var dataset = new Argument<string>("dataset") { Description = "The dataset's slug." };
        var file = new Argument<string>("file") { Description = "A .csv file (a header row naming the fields) or a .json file (an array of records)." };
        var batch = new Option<int>("--batch") { Description = "Records per batch, 1 to 1,000 (each batch is stored whole or not at all).", DefaultValueFactory = _ => 500 };
        var skip = new Option<int>("--skip") { Description = "Records of the file to pass over first: those an earlier, stopped import already stored.", DefaultValueFactory = _ => 0 };
        var import = new Command("import", "Import records from a CSV or JSON file, in batches, with the dataset's validation and rules.") { dataset, file, batch, skip };
        import.SetAction(p =>
        {
            var c = context();
            var size = p.GetValue(batch);
            var limits = c.Get<RecordLimits>();
            if (size < 1 || size > limits.MaxBatchRecords) throw new CliException($"--batch is from 1 to {limits.MaxBatchRecords}");
            var skipped = p.GetValue(skip);
            if (skipped < 0) throw new CliException("--skip is 0 or more");
            var slug = p.GetValue(dataset)!;
            var service = c.Get<RecordService>();
            var target = c.Get<DatasetService>().Get(CliContext.Operator, slug);
            var path = c.ResolvePath(p.GetValue(file)!);
            if (!File.Exists(path)) throw new CliException($"no file {path}");
            var all = RecordImportFile.Read(path, target.Schema, limits.MaxJsonDepth);
            var todo = all.Skip(skipped).ToList();
            var progress = new ImportProgress(c.Out, todo.Count, Interactive(c));
            int created = 0, unchanged = 0;
            for (var start = 0; start < todo.Count; start += size)
            {
                var part = todo.Skip(start).Take(size).ToList();
                try
                {
                    var result = service.CreateMany(CliContext.Operator, slug, part.Select(r => r.Item).ToList());
                    created += result.Created;
                    unchanged += result.Records.Count - result.Created;
                }
                catch (BatchRefusedException refused)
                {
                    progress.End();
                    var error = p.InvocationConfiguration.Error;
                    foreach (var e in refused.Errors)
                        error.WriteLine($"error: record {skipped + start + e.Index + 1} ({part[e.Index].Where}) {FieldOf(e.Path)}: {e.Detail} [{e.Code}]");
                    var done = skipped + start;
                    error.WriteLine($"error: batch {start / size + 1} (records {done + 1} to {done + part.Count}) was refused and nothing of it stored; "
                        + $"the {done} records before it are in — fix the file and resume with --skip {done} [{refused.Code}]");
                    return 1;
                }
                progress.Report(start + part.Count);
            }
            progress.End();
            c.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imported {created} records into '{slug}'{(unchanged > 0 ? $" ({unchanged} were already there, unchanged)" : "")}{(skipped > 0 ? $" after skipping {skipped}" : "")}"));
            return 0;
        });
        records.Add(import);
        return records;
    }

    /// <summary>The path inside the record (<c>$.title</c>) of a batch error's path in the request (<c>$.records[3].data.title</c>).</summary>
    private static string FieldOf(string path)
    {
        var data = path.IndexOf(".data", StringComparison.Ordinal);
        if (data >= 0) return "$" + path[(data + 5)..];
        var entry = path.IndexOf(']', StringComparison.Ordinal);
        return entry >= 0 && entry + 1 < path.Length ? path[(entry + 1)..].TrimStart('.') : "$";
    }

    /// <summary>A bar only for a person at a terminal; through the admin socket or into a file, plain lines.</summary>
    private static bool Interactive(CliContext c) => !c.InsideRunningNode && ReferenceEquals(c.Out, Console.Out) && !Console.IsOutputRedirected;
}

/// <summary>Progress of an import: one bar redrawn in place on a terminal, else one line per batch.</summary>
internal sealed class ImportProgress(TextWriter output, int total, bool interactive)
{
    private const int Width = 30;
    private bool _drawn;

    public void Report(int done)
    {
        var share = total == 0 ? 1 : (double)done / total;
        var line = string.Create(CultureInfo.InvariantCulture, $"{done}/{total} records ({share * 100:0} %)");
        if (!interactive)
        {
            output.WriteLine($"imported {line}");
            return;
        }
        var filled = (int)Math.Round(share * Width);
        output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {line}");
        output.Flush();
        _drawn = true;
    }

    public void End()
    {
        if (!_drawn) return;
        output.WriteLine();
        _drawn = false;
    }
}
