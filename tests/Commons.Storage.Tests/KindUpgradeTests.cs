using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Store;
using Commons.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// A kind whose schema goes from version 1 to 2 (the field <c>name</c> becomes <c>title</c>): opening the store brings
/// its datasets' records to version 2 in one transaction each, with an update in the feed for every record that changed.
/// </summary>
public sealed class KindUpgradeTests : IDisposable
{
    private sealed class RoomKind : DatasetKind
    {
        public int Version { get; set; } = 1;
        public string? RefuseRecordWith { get; set; }
        public override string Name => "test.rooms";
        public override int SchemaVersion => Version;
        public override LocalizedText Title => new("Salles", "Zalen", "Rooms");
        public override string Schema => Version == 1
            ? """{"type":"object","properties":{"name":{"type":"string"},"seats":{"type":"integer"}},"additionalProperties":false}"""
            : """{"type":"object","properties":{"title":{"type":"string"},"seats":{"type":"integer"}},"additionalProperties":false}""";

        public override JsonElement Upgrade(int fromVersion, JsonElement data)
        {
            Assert.Equal(1, fromVersion);
            if (data.TryGetProperty("name", out var name) && name.GetString() == RefuseRecordWith) throw new InvalidOperationException("cannot upgrade " + RefuseRecordWith);
            if (!data.TryGetProperty("name", out _)) return data;
            var o = JsonNode.Parse(data.GetRawText())!.AsObject();
            o["title"] = o["name"]!.GetValue<string>();
            o.Remove("name");
            return JsonSerializer.SerializeToElement(o);
        }
    }

    private readonly TempFolder _temp = new();
    private readonly RoomKind _kind = new();
    private string Folder => _temp.Sub("data");

    public void Dispose() => _temp.Dispose();

    /// <summary>Two datasets of the kind at version 1, with live, unchanged-by-the-upgrade and deleted records; then the store is closed.</summary>
    private void WriteVersion1()
    {
        using var node = new TestNode(Folder, kinds: new DatasetKindRegistry([_kind]));
        foreach (var slug in new[] { "rooms", "halls" })
            node.Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = _kind.Name });
        node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "Salle A", "seats": 10 }"""));
        node.Records.Create(Admin, "rooms", "b", Body("""{ "name": "Salle B" }"""));
        node.Records.Update(Admin, "rooms", "b", Body("""{ "name": "Salle B bis" }"""), null, 1);
        node.Records.Create(Admin, "rooms", "c", Body("""{ "seats": 4 }"""));
        node.Records.Create(Admin, "rooms", "d", Body("""{ "name": "gone" }"""));
        node.Records.Delete(Admin, "rooms", "d", null);
        node.Records.Create(Admin, "halls", "h", Body("""{ "name": "Hall" }"""));
    }

    /// <summary>The store opened as the node opens it at start (AddLiteDbStorage, IStoreReadiness.Open), with the kind's code now at version 2.</summary>
    private ServiceProvider OpenAsTheNodeDoes()
    {
        _kind.Version = 2;
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new ManualClock(new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero)))
            .AddSingleton<IDatasetKinds>(new DatasetKindRegistry([_kind])).AddLiteDbStorage(_ => Folder).BuildServiceProvider();
        services.GetRequiredService<IStoreReadiness>().Open();
        return services;
    }

    [Fact]
    public void Starting_the_node_upgrades_every_record_and_feeds_an_update_for_each_that_changed()
    {
        WriteVersion1();
        using (var services = OpenAsTheNodeDoes())
        {
            var datasets = services.GetRequiredService<IDatasetStore>();
            var records = services.GetRequiredService<Commons.Core.Records.IRecordStore>();
            var feed = services.GetRequiredService<Commons.Core.Records.IChangeFeed>();
            var rooms = datasets.Find("rooms")!;
            Assert.Equal(2, rooms.KindVersion);
            Assert.Equal(_kind.Schema, rooms.Schema);

            var a = records.Get(rooms.Key, "a")!;
            Assert.Equal("""{"seats":10,"title":"Salle A"}""", a.Data.GetRawText());
            Assert.Equal((2L, LiteKindUpgrades.UpgradedBy), (a.Revision, a.UpdatedBy));
            Assert.Equal("Salle B bis", records.Get(rooms.Key, "b")!.Data.GetProperty("title").GetString());
            Assert.Equal(3, records.Get(rooms.Key, "b")!.Revision);
            // unchanged by the upgrade: same revision, no change; deleted: left alone
            Assert.Equal((1L, "root"), (records.Get(rooms.Key, "c")!.Revision, records.Get(rooms.Key, "c")!.UpdatedBy));
            Assert.True(records.Get(rooms.Key, "d")!.Deleted);

            var upgrades = feed.Since(rooms.Key, 6, 100);
            Assert.Equal([("a", 2L), ("b", 3L)], upgrades.Select(c => (c.RecordId!, c.Revision!.Value)).Order());
            Assert.All(upgrades, c => Assert.Equal((ChangeKind.Update, LiteKindUpgrades.UpgradedBy), (c.Kind, c.By)));
            Assert.Equal(a.Seq, upgrades.Single(c => c.RecordId == "a").Seq);
            Assert.Equal(2, datasets.Find("halls")!.KindVersion);

            var check = services.GetRequiredService<IStoreCheck>().Run();
            Assert.True(check.Ok, string.Join("\n", check.Problems));
            Assert.Empty(check.Pending);
            Assert.Single(Directory.GetFiles(Path.Combine(Folder, StoreMigrations.BackupFolder), "before-kinds-20261206T230000Z.cbak"));
        }
        // nothing left to upgrade: no second backup, no new change
        using (var again = OpenAsTheNodeDoes())
        {
            Assert.Single(Directory.GetFiles(Path.Combine(Folder, StoreMigrations.BackupFolder)));
            var rooms = again.GetRequiredService<IDatasetStore>().Find("rooms")!;
            Assert.Equal(8, again.GetRequiredService<Commons.Core.Records.IChangeFeed>().LastSeq(rooms.Key));
        }
    }

    [Fact]
    public void The_cli_which_does_not_start_the_node_reports_the_upgrade_as_pending_and_leaves_the_records()
    {
        WriteVersion1();
        _kind.Version = 2;
        using var services = new ServiceCollection().AddSingleton<IDatasetKinds>(new DatasetKindRegistry([_kind])).AddLiteDbStorage(_ => Folder).BuildServiceProvider();
        var check = services.GetRequiredService<IStoreCheck>().Run();
        Assert.Equal(2, check.Pending.Count);
        var rooms = services.GetRequiredService<IDatasetStore>().Find("rooms")!;
        Assert.Equal(1, services.GetRequiredService<Commons.Core.Records.IRecordStore>().Get(rooms.Key, "a")!.Revision);
        services.GetRequiredService<IStoreReadiness>().Open();
        Assert.Empty(services.GetRequiredService<IStoreCheck>().Run().Pending);
    }

    [Fact]
    public void A_dataset_whose_upgrade_fails_stays_whole_at_its_version_and_check_lists_it_as_pending()
    {
        WriteVersion1();
        _kind.RefuseRecordWith = "Salle B bis";
        using var services = OpenAsTheNodeDoes();
        var datasets = services.GetRequiredService<IDatasetStore>();
        var records = services.GetRequiredService<Commons.Core.Records.IRecordStore>();
        var rooms = datasets.Find("rooms")!;
        Assert.Equal(1, rooms.KindVersion);
        // record a was upgraded before b failed: rolled back with the rest
        Assert.Equal("""{ "name": "Salle A", "seats": 10 }""".Replace(" ", ""), records.Get(rooms.Key, "a")!.Data.GetRawText().Replace(" ", ""));
        Assert.Equal(1, records.Get(rooms.Key, "a")!.Revision);
        Assert.Equal(6, services.GetRequiredService<Commons.Core.Records.IChangeFeed>().LastSeq(rooms.Key));
        // the other dataset went on
        Assert.Equal(2, datasets.Find("halls")!.KindVersion);

        var pending = Assert.Single(services.GetRequiredService<IKindUpgrades>().Pending());
        Assert.Equal(new PendingKindUpgrade("rooms", "test.rooms", 1, 2), pending);
        var check = services.GetRequiredService<IStoreCheck>().Run();
        Assert.True(check.Ok);
        Assert.Equal(["dataset rooms (kind test.rooms) is at schema version 1; the kind is at 2"], check.Pending);
    }

    [Fact]
    public void An_upgrade_that_breaks_the_new_schema_is_rolled_back()
    {
        WriteVersion1();
        using var node = new TestNode(Folder, kinds: new DatasetKindRegistry([new BrokenUpgrade()]));
        var outcomes = new LiteKindUpgrades(node.Database, node.Kinds).Run();
        Assert.All(outcomes, o => Assert.NotNull(o.Error));
        Assert.Equal(1, node.DatasetStore.Find("rooms")!.KindVersion);
    }

    /// <summary>Version 2 of the same kind whose upgrade forgets to rename the field: the records fail the new schema.</summary>
    private sealed class BrokenUpgrade : DatasetKind
    {
        public override string Name => "test.rooms";
        public override int SchemaVersion => 2;
        public override LocalizedText Title => new("Salles", "Zalen", "Rooms");
        public override string Schema => """{"type":"object","properties":{"title":{"type":"string"}},"additionalProperties":false}""";
        public override JsonElement Upgrade(int fromVersion, JsonElement data) =>
            JsonSerializer.SerializeToElement(new { name = data.TryGetProperty("name", out var n) ? n.GetString() : "", extra = true });
    }
}
