using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Tests.Support;
using Commons.Storage;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// Workers' start and end dates (workers schema v2): hours for a month the worker is not employed in are refused with
/// their own code and nothing is stored; a month employed in part allows the contract's hours of its employed days;
/// closing a month splits only the cost of workers employed in it; a v1 workers dataset moves to v2 unchanged.
/// </summary>
public sealed class EmploymentDatesTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();

    public EmploymentDatesTests()
    {
        // Eva joins on 16 February 2026 (13 days of a 28-day month); Farid leaves on 31 March 2026.
        _node.Records.Create(Admin, "workers", "eva", Doc("""{"name":"Eva Janssens","role":"Animatrice","contractHoursPerWeek":19,"monthlyCost":"1650.00","startDate":"2026-02-16"}"""));
        _node.Records.Create(Admin, "workers", "farid", Doc("""{"name":"Farid Amrani","role":"Cuisinier","contractHoursPerWeek":38,"monthlyCost":"3100.00","endDate":"2026-03-31"}"""));
        _node.Assign("eva", B, 100);
        _node.Assign("farid", A, 50);
        _node.Assign("farid", C, 50);
    }

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Hours_for_a_month_outside_the_workers_dates_are_refused_with_their_code_and_nothing_is_stored()
    {
        var before = _node.Count("hours");
        Assert.Equal(EmployersCodes.MonthOutsideEmployment, Assert.Throws<RuleViolationException>(() => _node.EnterHours("eva", B, "2026-01", "10")).Code);
        Assert.Equal(EmployersCodes.MonthOutsideEmployment, Assert.Throws<RuleViolationException>(() => _node.EnterHours("farid", A, "2026-04", "10")).Code);
        Assert.Equal(before, _node.Count("hours"));
        _node.EnterHours("farid", A, "2026-03", "10");
        Assert.Equal(before + 1, _node.Count("hours"));
    }

    [Fact]
    public void A_month_employed_in_part_allows_the_contracts_hours_of_its_employed_days()
    {
        // 19 h a week × 13 days ÷ 7 = 35.285… → 35.28 h.
        Assert.Equal(35.28m, HoursKind.Allowed(19, "2026-02", 13));
        Assert.Equal(13, Employment.DaysEmployed("2026-02-16", null, "2026-02"));
        Assert.Equal(EmployersCodes.HoursOverContract, Assert.Throws<RuleConflictException>(() => _node.EnterHours("eva", B, "2026-02", "35.29")).Code);
        _node.EnterHours("eva", B, "2026-02", "35.28");
    }

    [Fact]
    public void Closing_a_month_splits_only_the_cost_of_workers_employed_in_it()
    {
        var march = _node.Group.CloseMonth(Admin, "2026-03");
        var april = _node.Group.CloseMonth(Admin, "2026-04");
        var january = _node.Group.CloseMonth(Admin, "2026-01");
        Assert.Contains(march.Workers, w => w.Worker == "farid");
        Assert.Contains(march.Workers, w => w.Worker == "eva");
        Assert.DoesNotContain(april.Workers, w => w.Worker == "farid");
        Assert.DoesNotContain(january.Workers, w => w.Worker == "eva");
        // Farid's March, without hours, by the planned shares: 1 550.00 each.
        Assert.Equal([1550.00m, 1550.00m], march.Workers.Single(w => w.Worker == "farid").Shares.Select(s => s.Amount));
        Assert.Equal(3250.40m + 1700.00m + 1650.00m, april.Workers.Sum(w => w.Shares.Sum(s => s.Amount)));
    }

    [Fact]
    public void Dates_that_are_no_day_or_end_before_they_start_are_refused()
    {
        // The schema's date format already refuses a day that is not in the calendar.
        Assert.Equal("validation_failed", Assert.ThrowsAny<Core.Errors.CommonsException>(() =>
            _node.Records.Create(Admin, "workers", null, Doc("""{"name":"X","role":"R","contractHoursPerWeek":38,"monthlyCost":"1.00","startDate":"2026-02-29"}"""))).Code);
        Assert.Equal(EmployersCodes.WorkerDatesInvalid, Assert.Throws<RuleViolationException>(() =>
            _node.Records.Create(Admin, "workers", null, Doc("""{"name":"X","role":"R","contractHoursPerWeek":38,"monthlyCost":"1.00","startDate":"2026-03-02","endDate":"2026-03-01"}"""))).Code);
    }
}

/// <summary>A node whose workers were written under schema v1 starts with v2: the dataset moves to v2 with no record changed, and the v1 workers are employed without bounds.</summary>
public sealed class WorkersUpgradeTests : IDisposable
{
    private sealed class Version1(DatasetKind current) : DatasetKind
    {
        public override string Name => current.Name;
        public override int SchemaVersion => 1;
        public override string Schema { get; } = EmployersSchemas.Read(current.Name, 1);
        public override LocalizedText Title => current.Title;
        public override void CheckWrite(RecordWrite write, IModuleData data) => current.CheckWrite(write, data);
    }

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));
    private readonly CommonsDatabase _database;
    private readonly SetClock _clock = new(Start);

    public WorkersUpgradeTests()
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
        datasets = new DatasetService(new LiteDatasetStore(_database), new LiteRecordStore(_database), new LiteMemberStore(_database), _clock, kinds: registry);
        return new RecordService(datasets, new LiteRecordStore(_database), new LiteChangeFeed(_database), new RecordLimits(), _clock, kinds: registry);
    }

    [Fact]
    public void Version_1_workers_move_to_version_2_unchanged_and_take_hours_in_any_month()
    {
        var v1 = Records([.. new EmployersModule().Kinds.Select(k => k is WorkersKind ? new Version1(k) : k)], out var datasets);
        foreach (var (slug, kind) in new[] { ("group", GroupKind.KindName), ("workers", WorkersKind.KindName), ("assignments", AssignmentsKind.KindName), ("hours", HoursKind.KindName) })
            datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });
        v1.Create(Admin, "group", "settings", Doc($$"""{"name":"G","allocationRule":"pro_rata_hours","fallbackRule":"planned_share","members":[{"actor":"{{B}}","name":"Beta"}]}"""));
        v1.Create(Admin, "workers", "anne", Doc("""{"name":"Anne Dupont","role":"Comptable","contractHoursPerWeek":38,"monthlyCost":"3250.40"}"""));
        v1.Create(Admin, "assignments", null, Doc($$"""{"worker":"anne","member":"{{B}}","plannedShare":100}"""));
        var store = new LiteDatasetStore(_database);
        var feed = new LiteChangeFeed(_database);
        var seq = feed.LastSeq(store.Find("workers")!.Key);

        var outcomes = new LiteKindUpgrades(_database, new DatasetKindRegistry(new EmployersModule().Kinds), _clock).Run();

        Assert.Equal([("workers", 2, 0, (string?)null)], outcomes.Select(o => (o.Upgrade.Dataset, o.Upgrade.ToVersion, o.RecordsChanged, o.Error)));
        Assert.Equal(2, store.Find("workers")!.KindVersion);
        Assert.Equal(seq, feed.LastSeq(store.Find("workers")!.Key));
        var v2 = Records(new EmployersModule().Kinds, out _);
        v2.Create(Admin, "hours", null, Doc($$"""{"worker":"anne","member":"{{B}}","month":"1999-12","hours":"10"}"""));
        v2.Update(Admin, "workers", "anne", Doc("""{"name":"Anne Dupont","role":"Comptable","contractHoursPerWeek":38,"monthlyCost":"3250.40","startDate":"2026-01-01"}"""), null, null);
        Assert.Equal(EmployersCodes.MonthOutsideEmployment, Assert.Throws<RuleViolationException>(() =>
            v2.Create(Admin, "hours", null, Doc($$"""{"worker":"anne","member":"{{B}}","month":"2025-12","hours":"10"}"""))).Code);
    }
}
