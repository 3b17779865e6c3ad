using System.Text;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// <c>commons-node records import</c> as a person runs it, on a stopped node: batches through the service, progress lines
/// when not on a terminal, a stop at the first refused batch with one line per failing record ending <c>[code]</c>,
/// resuming with <c>--skip</c>, and bad files refused with their code before anything is stored.
/// </summary>
public sealed class RecordImportCliTests
{
    private const string Schema = """
        {"type":"object","required":["name"],"additionalProperties":false,
         "properties":{"name":{"type":"string","minLength":1},"count":{"type":"integer","minimum":0},"price":{"type":"number"},
                       "active":{"type":"boolean"},"address":{"type":"object","properties":{"city":{"type":"string"}}}}}
        """;

    private static readonly Caller Admin = new("cli-test", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    private static void CreateDataset(string data)
    {
        using var db = CommonsDatabase.Open(data);
        var records = new LiteRecordStore(db);
        var datasets = new DatasetService(new LiteDatasetStore(db), records, new LiteMemberStore(db), TimeProvider.System);
        datasets.Create(Admin, new DatasetDraft { Slug = "offers", Title = new LocalizedText("Offres", null, null), Schema = Schema });
    }

    private static (long Records, long LastSeq) Counts(string data)
    {
        using var db = CommonsDatabase.Open(data);
        var key = new LiteDatasetStore(db).Find("offers")!.Key;
        return (new LiteRecordStore(db).Count(key), new LiteChangeFeed(db).LastSeq(key));
    }

    private static string Csv(int rows, Func<int, string>? row = null) =>
        "id,name,count,price,active,address.city\n"
        + string.Concat(Enumerable.Range(0, rows).Select(i => (row?.Invoke(i) ?? $"r{i},\"Atelier, n° {i}\",{i},{i}.50,true,Bruxelles") + "\n"));

    [Fact]
    public async Task A_csv_is_imported_in_batches_a_refused_batch_stops_with_its_records_and_skip_resumes()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("node");
        Assert.Equal(0, (await CommonsCli.RunAsync(data, "init")).ExitCode);
        CreateDataset(data);

        var good = Path.Combine(temp.Path, "good.csv");
        File.WriteAllText(good, Csv(1_200));
        var imported = await CommonsCli.RunAsync(data, "records", "import", "offers", good, "--batch", "500");
        Assert.True(imported.ExitCode == 0, imported.Err);
        Assert.Contains("imported 500/1200 records (42 %)", imported.Out);
        Assert.Contains("imported 1200/1200 records (100 %)", imported.Out);
        Assert.Contains("imported 1200 records into 'offers'", imported.Out);
        Assert.Equal((1_200L, 1_200L), Counts(data));

        // The same file again: every record is already there, unchanged; nothing new in the feed.
        var again = await CommonsCli.RunAsync(data, "records", "import", "offers", good, "--batch", "1000");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("imported 0 records into 'offers' (1200 were already there, unchanged)", again.Out);
        Assert.Equal((1_200L, 1_200L), Counts(data));

        var bad = Path.Combine(temp.Path, "bad.csv");
        File.WriteAllText(bad, Csv(900, i => i switch
        {
            650 => "b650,,1,1,true,Gent",
            700 => "b700,ok,-3,1,false,Gent",
            _ => $"b{i},Offre {i},{i},1,false,Liège",
        }));
        var stopped = await CommonsCli.RunAsync(data, "records", "import", "offers", bad, "--batch", "300");
        Assert.Equal(1, stopped.ExitCode);
        var lines = stopped.Err.Trim().Split('\n');
        Assert.Equal([
            "error: record 651 (line 652) $.name: is required [validation_failed]",
        ], lines.Where(l => l.Contains("record 651")).ToArray());
        Assert.Contains(lines, l => l.StartsWith("error: record 701 (line 702) $.count:", StringComparison.Ordinal) && l.EndsWith("[validation_failed]", StringComparison.Ordinal));
        Assert.EndsWith("resume with --skip 600 [batch_refused]", lines[^1]);
        Assert.All(lines, l => Assert.Matches(@"\[[a-z_]+\]$", l));
        Assert.Equal((1_800L, 1_800L), Counts(data));

        File.WriteAllText(bad, Csv(900, i => $"b{i},Offre {i},{i},1,false,Liège"));
        var resumed = await CommonsCli.RunAsync(data, "records", "import", "offers", bad, "--batch", "300", "--skip", "600");
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.Contains("imported 300 records into 'offers' after skipping 600", resumed.Out);
        Assert.Equal((2_100L, 2_100L), Counts(data));

        var json = Path.Combine(temp.Path, "more.json");
        File.WriteAllText(json, """[{"name":"un"},{"name":"deux","address":{"city":"Namur"}}]""");
        Assert.Contains("imported 2 records", (await CommonsCli.RunAsync(data, "records", "import", "offers", json)).Out);

        // Bad files: one line ending with the code, nothing stored.
        foreach (var (content, code) in new (byte[], string)[]
        {
            (Encoding.UTF8.GetBytes("name,count\n\"open quote,1\n"), "csv_invalid"),
            (Encoding.UTF8.GetBytes("name,count\nx,1,extra\n"), "csv_invalid"),
            (Encoding.UTF8.GetBytes("name,count\nab\"c,1\n"), "csv_invalid"),
            (Encoding.UTF8.GetBytes("name,colour\nx,red\n"), "csv_invalid"),
            (Encoding.UTF8.GetBytes("name,count\nx,many\n"), "csv_invalid"),
            ([.. "name\n"u8, 0xC3, 0x28, (byte)'\n'], "invalid_unicode"),
        })
        {
            var file = Path.Combine(temp.Path, "broken.csv");
            File.WriteAllBytes(file, content);
            var refused = await CommonsCli.RunAsync(data, "records", "import", "offers", file);
            Assert.Equal(1, refused.ExitCode);
            Assert.Matches($@"^error: .+ \[{code}\]$", refused.Err.Trim());
        }
        Assert.Equal((2_102L, 2_102L), Counts(data));
    }
}
