using Commons.Core.Errors;
using Commons.Node.Tests.Support;
using Commons.Storage;
using LiteDB;

namespace Commons.Node.Tests.Cli;

/// <summary>The CLI and the node open the store as migrations expect: an old store is migrated after a backup, a newer one refused in one line.</summary>
public sealed class StoreMigrationProcessTests
{
    [Fact]
    public async Task The_cli_migrates_the_committed_v0_store_after_a_backup_and_check_passes()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        File.Copy(Path.Combine(ProblemCodeTable.RepositoryRoot(), "tests", "Commons.Storage.Tests", "Stores", "v0", CommonsDatabase.FileName), Path.Combine(data, CommonsDatabase.FileName));

        var check = await CommonsCli.RunAsync(data, "check");
        Assert.True(check.ExitCode == 0, check.Out + check.Err);
        Assert.Contains("ok: 3 datasets, 15 records, 23 changes, 0 problems", check.Out);
        var backup = Assert.Single(Directory.GetFiles(Path.Combine(data, StoreMigrations.BackupFolder)));
        Assert.StartsWith("before-layout-v0-to-v", Path.GetFileName(backup));
    }

    [Fact]
    public async Task A_store_written_by_a_newer_release_is_refused_in_one_line_by_the_cli_and_by_serve()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        using (var db = CommonsDatabase.Open(data))
            db.Write(() => db.Db.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = "layout", ["version"] = StoreMigrations.CurrentVersion + 1 }));

        var check = await CommonsCli.RunAsync(data, "check");
        Assert.Equal(1, check.ExitCode);
        var line = Assert.Single(check.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith($"[{ProblemCodes.StoreTooNew}]", line.Trim());
        Assert.Contains($"layout version {StoreMigrations.CurrentVersion + 1}", line);

        var serve = await CommonsCli.RunAsync(data, "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, serve.ExitCode);
        Assert.Contains($"[{ProblemCodes.StoreTooNew}]", serve.Err);
        Assert.False(Directory.Exists(Path.Combine(data, StoreMigrations.BackupFolder)));
    }
}
