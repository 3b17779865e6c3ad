using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Place.Kinds;
using Commons.Storage;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// A node that booked under schema v1 (confirmed and cancelled only, no quota ledger) starts with v2: its datasets
/// move to v2 without changing a record (no update goes to followers), the ledger is built from the bookings that
/// hold their time, and the v2 rules then count those hours.
/// </summary>
public sealed class PlaceUpgradeRuleTests : IDisposable
{
    /// <summary>The kind as release v1 shipped it: its schema, and its rules without the quota ledger v1 did not keep.</summary>
    private sealed class Version1(DatasetKind current) : DatasetKind
    {
        public override string Name => current.Name;
        public override int SchemaVersion => 1;
        public override string Schema { get; } = PlaceSchemas.Read(current.Name, 1);
        public override LocalizedText Title => current.Title;
        // v1 cancelled without saying when; the v2 rules it stands on ask for it, so they are shown a time.
        public override void CheckWrite(RecordWrite write, IModuleData data) =>
            current.CheckWrite(write.IsDelete ? write : write with { Next = write.Next with { Data = SaidWhen(write.Next.Data) } }, new WithoutLedger(data));

        private static JsonElement SaidWhen(JsonElement data) =>
            data.TryGetProperty("state", out var s) && s.GetString() == BookingStates.Cancelled
                ? (Kinds.Booking.Of(data) with { CancelledAt = Start }).ToData() : data;
    }

    private sealed class WithoutLedger(IModuleData data) : IModuleData
    {
        public JsonElement? Get(string collection, string key) => collection.StartsWith("quota", StringComparison.Ordinal) ? null : data.Get(collection, key);
        public void Put(string collection, string key, JsonElement value) { if (!collection.StartsWith("quota", StringComparison.Ordinal)) data.Put(collection, key, value); }
        public bool Delete(string collection, string key) => !collection.StartsWith("quota", StringComparison.Ordinal) && data.Delete(collection, key);
        public IReadOnlyList<ModuleDocument> Range(string collection, string? fromKey, string? toKey, int limit) =>
            collection.StartsWith("quota", StringComparison.Ordinal) ? [] : data.Range(collection, fromKey, toKey, limit);
    }

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));
    private readonly CommonsDatabase _database;
    private readonly SetClock _clock = new(Start);

    public PlaceUpgradeRuleTests()
    {
        Directory.CreateDirectory(_folder);
        _database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private RecordService Records(IReadOnlyList<DatasetKind> kinds, out DatasetService datasets)
    {
        var registry = new DatasetKindRegistry(kinds);
        var members = new LiteMemberStore(_database);
        datasets = new DatasetService(new LiteDatasetStore(_database), new LiteRecordStore(_database), members, _clock, kinds: registry);
        return new RecordService(datasets, new LiteRecordStore(_database), new LiteChangeFeed(_database), new RecordLimits(), _clock, kinds: registry);
    }

    private static JsonElement Booking(string start, string end, string by, string state) =>
        new Booking("hall", At(start), At(end), by, state, null, null).ToData();

    [Fact]
    public void Version_1_bookings_move_to_version_2_unchanged_and_enter_the_quota_ledger()
    {
        var v1 = Records([.. new PlaceModule().Kinds.Select(k => new Version1(k))], out var v1Datasets);
        v1Datasets.Create(Admin, new DatasetDraft { Slug = "rooms", Title = new LocalizedText("rooms", null, null), Kind = ResourcesKind.KindName });
        v1Datasets.Create(Admin, new DatasetDraft { Slug = "bookings", Title = new LocalizedText("bookings", null, null), Kind = BookingsKind.KindName });
        v1.Create(Admin, "rooms", "hall", Doc("""{"name":{"en":"Main hall"},"category":"room"}"""));
        v1.Create(Admin, "bookings", "a", Booking("2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00", "alice", BookingStates.Confirmed));
        v1.Create(Admin, "bookings", "b", Booking("2026-04-02T10:00:00+02:00", "2026-04-02T11:30:00+02:00", "https://partner.example/datasets/rooms", BookingStates.Confirmed));
        v1.Create(Admin, "bookings", "c", Booking("2026-04-03T10:00:00+02:00", "2026-04-03T15:00:00+02:00", "bob", BookingStates.Confirmed));
        v1.Update(Admin, "bookings", "c", Booking("2026-04-03T10:00:00+02:00", "2026-04-03T15:00:00+02:00", "bob", BookingStates.Cancelled), null, 1);
        var modules = new LiteModuleStore(_database);
        Assert.Empty(modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Quota.All()));
        var feed = new LiteChangeFeed(_database);
        var seqs = new[] { "rooms", "bookings" }.Select(s => feed.LastSeq(new LiteDatasetStore(_database).Find(s)!.Key)).ToList();

        var current = new PlaceModule().Kinds;
        var outcomes = new LiteKindUpgrades(_database, new DatasetKindRegistry(current), _clock).Run();

        Assert.Equal([("rooms", 2, 0, (string?)null), ("bookings", 2, 0, null)],
            outcomes.Select(o => (o.Upgrade.Dataset, o.Upgrade.ToVersion, o.RecordsChanged, o.Error)).OrderByDescending(o => o.Dataset));
        var store = new LiteDatasetStore(_database);
        Assert.All(new[] { "rooms", "bookings" }, s => Assert.Equal(2, store.Find(s)!.KindVersion));
        Assert.Equal(seqs, new[] { "rooms", "bookings" }.Select(s => feed.LastSeq(store.Find(s)!.Key)));
        Assert.Equal([("hall", "2026-04", Organisations.OwnMembers, 120L), ("hall", "2026-04", "partner.example", 90L)],
            modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Quota.All()).Order());

        // Under v2, the steward sets a quota of three hours: the two hours booked under v1 count.
        var v2 = Records(current, out _);
        v2.Update(Admin, "rooms", "hall", Doc("""{"name":{"en":"Main hall"},"category":"room","quotaHoursPerMonth":3}"""), null, null);
        var e = Assert.Throws<RuleConflictException>(() => v2.Create(Admin, "bookings", null, Booking("2026-04-20T10:00:00+02:00", "2026-04-20T12:00:00+02:00", "alice", BookingStates.Pending)));
        Assert.Equal(PlaceCodes.QuotaExceeded, e.Code);
        v2.Create(Admin, "bookings", null, Booking("2026-04-20T10:00:00+02:00", "2026-04-20T11:00:00+02:00", "alice", BookingStates.Pending));
        v2.Update(Admin, "bookings", "a", (Kinds.Booking.Of(v2.Get(Admin, "bookings", "a").Data) with
        {
            State = BookingStates.Cancelled, CancelledAt = _clock.GetUtcNow(),
        }).ToData(), null, null);
        Assert.Equal([("hall", "2026-04", Organisations.OwnMembers, 60L), ("hall", "2026-04", "partner.example", 90L)],
            modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Quota.All()).Order());
    }
}
