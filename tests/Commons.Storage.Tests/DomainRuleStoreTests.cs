using Commons.Core.Federation;
using Commons.Storage.Tests.Support;
using LiteDB;

namespace Commons.Storage.Tests;

/// <summary>The runtime domain rules document in LiteDB: carried by backup and restore, checked by 'check' (what the port keeps: DomainRuleStoreContract).</summary>
public sealed class DomainRuleStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly DomainRuleSettings Rules = new()
    {
        AllowListOnly = true, Blocked = ["xn--bcher-kva.example", "198.51.100.7"], Allowed = ["friends.example"], UpdatedAt = Now, UpdatedBy = "root",
    };

    [Fact]
    public void Backup_and_restore_carry_the_rules_and_check_passes()
    {
        var backup = _temp.Sub("node.cbak");
        using (var node = new TestNode(_temp.Sub("data")))
        {
            node.CreateDataset("rooms");
            new LiteDomainRuleStore(node.Database).Save(Rules);
            Backup.Write(node.Database, backup, "atelier", Now);
        }

        Backup.Restore(backup, _temp.Sub("restored"), replaceExisting: false, Now);
        using var restored = new TestNode(_temp.Sub("restored"));
        var read = new LiteDomainRuleStore(restored.Database).Get();
        Assert.Equal(Rules.Blocked, read.Blocked);
        Assert.True(read.AllowListOnly);
        var report = StoreChecker.Run(restored.Database);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
    }

    [Fact]
    public void Check_reports_an_entry_that_is_not_a_normalised_domain()
    {
        using var node = new TestNode(_temp.Sub("data"));
        new LiteDomainRuleStore(node.Database).Save(Rules with { Blocked = ["ok.example", "not a domain", "Bücher.example"] });

        var problems = StoreChecker.Run(node.Database).Problems;

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("'not a domain'"));
        Assert.Contains(problems, p => p.Contains("'Bücher.example'"));

        node.Database.Raw().GetCollection(LiteDomainRuleStore.Collection).Update(new BsonDocument { ["_id"] = LiteDomainRuleStore.DocumentId, ["blocked"] = 7 });
        Assert.False(StoreChecker.Run(node.Database).Ok);
    }
}
