using System.Net.Http.Json;
using Commons.Storage;
using LiteDB;

namespace Commons.Node.Tests.Cli;

/// <summary><c>backup</c> while the node serves and writes continue; <c>restore</c> into a new folder gives the same content.</summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task Backup_during_writes_restores_to_a_consistent_store_and_a_quiet_backup_restores_identically()
    {
        using var temp = new TempFolder();
        var live = temp.Sub("live");
        var during = Path.Combine(temp.Path, "during.bak");
        var quiet = Path.Combine(temp.Path, "quiet.bak");

        await using (var node = await NodeProcess.StartAsync(live))
        {
            using var api = await node.SignInAsync();
            (await api.PostAsJsonAsync("/api/datasets", new { slug = "rooms", title = new { fr = "Salles" } })).EnsureSuccessStatusCode();
            using var stop = new CancellationTokenSource();
            var written = 0;
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref written);
                    (await api.PostAsJsonAsync("/api/datasets/rooms/records", new { id = $"room{n}", data = new { n, name = $"Salle {n}" } })).EnsureSuccessStatusCode();
                    if (n % 3 == 0)
                        (await api.PutAsJsonAsync($"/api/datasets/rooms/records/room{n}", new { data = new { n, name = $"Salle {n} (renamed)" } })).EnsureSuccessStatusCode();
                }
            });
            while (Volatile.Read(ref written) < 100) await Task.Delay(20);

            // Through the admin socket: the CLI does not open the store the node holds.
            var backup = await CommonsCli.RunAsync(live, "backup", during);
            Assert.True(backup.ExitCode == 0, backup.Err);
            Assert.Contains("backup of", backup.Out);

            stop.Cancel();
            await writer;
            var quietRun = await CommonsCli.RunAsync(live, "backup", quiet);
            Assert.True(quietRun.ExitCode == 0, quietRun.Err);

            var refused = await CommonsCli.RunAsync(live, "restore", quiet);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("needs the node stopped", refused.Err);
        }

        // The backup taken under load is a consistent snapshot: the integrity check passes on its restore.
        var fromDuring = temp.Sub("from-during");
        var restored = await CommonsCli.RunAsync(fromDuring, "restore", during);
        Assert.True(restored.ExitCode == 0, restored.Err);
        var check = await CommonsCli.RunAsync(fromDuring, "check");
        Assert.True(check.ExitCode == 0, check.Out + check.Err);

        // After the writes stopped, the restore has exactly the live content.
        var fromQuiet = temp.Sub("from-quiet");
        Assert.Equal(0, (await CommonsCli.RunAsync(fromQuiet, "restore", quiet)).ExitCode);
        Assert.Equal(Dump(live), Dump(fromQuiet));
        // The fan-out worker, not a member, moves its cursor: it may still have been catching up with the last writes
        // when the quiet backup was taken, never ahead of what the node held when it stopped.
        var (liveCursors, quietCursors) = (FanOutCursors(live), FanOutCursors(fromQuiet));
        Assert.NotEmpty(liveCursors);
        Assert.All(quietCursors, c => Assert.InRange(c.Value, 0, liveCursors.GetValueOrDefault(c.Key, -1)));

        // A node starts on the restored folder and its administrator can sign in (member hashes and node keys came back).
        await using var again = await NodeProcess.StartAsync(fromQuiet);
        using var signedIn = await again.SignInAsync();
        var records = await signedIn.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/datasets/rooms");
        Assert.True(records.GetProperty("records").GetInt64() >= 100);
    }

    [Fact]
    public async Task A_damaged_backup_is_refused_in_one_line_and_the_existing_store_is_kept()
    {
        using var temp = new TempFolder();
        var live = temp.Sub("live");
        var file = Path.Combine(temp.Path, "b.bak");
        Assert.Equal(0, (await CommonsCli.RunAsync(live, "init")).ExitCode);
        Assert.Equal(0, (await CommonsCli.RunAsync(live, "backup", file)).ExitCode);
        var before = Dump(live);

        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(file, bytes);

        var result = await CommonsCli.RunAsync(live, "restore", file, "--force");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains("checksum", result.Err);
        Assert.Equal(before, Dump(live));
    }

    /// <summary>Every document of every collection, as canonical text (the readiness probe's marker left out).</summary>
    private static string Dump(string dataDirectory)
    {
        using var db = CommonsDatabase.Open(dataDirectory);
        var lines = new List<string>();
        db.Read(() =>
        {
            foreach (var name in db.Db.GetCollectionNames().Order(StringComparer.Ordinal))
                foreach (var doc in db.Db.GetCollection(name).FindAll())
                    if (!(name == "meta" && doc["_id"] == "readiness") && name != "fanout")
                        lines.Add(name + " " + JsonSerializer.Serialize(doc));
        });
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static Dictionary<string, long> FanOutCursors(string dataDirectory)
    {
        using var db = CommonsDatabase.Open(dataDirectory);
        return db.Read(() => db.Db.GetCollection("fanout").FindAll().ToDictionary(d => d["_id"].AsString, d => d["seq"].AsInt64));
    }
}
