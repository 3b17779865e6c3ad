using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Core.Records;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using Commons.Modules.Place;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Node.Cli;
using Commons.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// The governed settings other parts own, wired through the real committee governance on the coordinator's real
/// store: a dataset's sharing (<c>datasets.policy</c>, in the dataset service) and a resource's quota (<c>place.quota</c>,
/// in the record service for the place's kind): refused without a decision, with one not adopted, with one that
/// authorises something else; accepted with the authorising one; the history names it. Not governed: as before.
/// And <c>commons-node decision verify ID</c>, the node-level alias of the recount.
/// </summary>
public sealed class GovernedSettingsTests
{
    private static readonly JsonElement Room = JsonSerializer.SerializeToElement(new { name = new { fr = "Grande salle" }, category = "room" });
    private static readonly JsonElement RoomWithQuota = JsonSerializer.SerializeToElement(new { name = new { fr = "Grande salle" }, category = "room", quotaHoursPerMonth = 20 });

    /// <summary>The coordinator's services as the node wires them when the committee module is on: the governance registered.</summary>
    private static (DatasetService Datasets, RecordService Records, PlaceQuotaGovernance Quotas) Wired(CommitteeNode node, params IGovernance[] governance)
    {
        var kinds = new DatasetKindRegistry([.. new CommitteeModule().Kinds, .. new PlaceModule().Kinds]);
        var datasets = new DatasetService(node.DatasetStore, node.RecordStore, new LiteMemberStore(node.Database), node.Clock, kinds: kinds, governance: governance);
        var records = new RecordService(datasets, node.RecordStore, new LiteChangeFeed(node.Database), new Core.Records.RecordLimits(), node.Clock, kinds: kinds, governance: governance);
        return (datasets, records, new PlaceQuotaGovernance(new PlaceDirectory(node.DatasetStore), datasets, records, node.RecordStore, governance));
    }

    private static async Task<CommitteeScenario> AdoptedAsync(string[] governs, params (string Id, (string Setting, string Scope) Authorises)[] proposals)
    {
        var s = await CommitteeScenario.StartAsync(3, null, governs);
        foreach (var (id, authorises) in proposals) s.Coordinator.Propose(id, authorises: authorises);
        foreach (var (id, _) in proposals) await s.VoteManyAsync(id, 3, 0, 0);
        foreach (var (id, _) in proposals) Assert.Equal(Outcomes.Adopted, s.Close(id).GetProperty("outcome").GetString());
        return s;
    }

    private static string Code(Action change) => Assert.ThrowsAny<Core.Errors.CommonsException>(change).Code;

    [Fact]
    public async Task A_datasets_sharing_changes_only_with_the_decision_that_authorises_it_and_its_history_names_it()
    {
        await using var s = await AdoptedAsync([GovernedSettings.DatasetPolicy],
            ("open-data", (GovernedSettings.DatasetPolicy, "open-data")), ("other", (GovernedSettings.DatasetPolicy, "members")));
        var (datasets, _, _) = Wired(s.Coordinator, s.Coordinator.Governance);
        datasets.Create(Admin, new DatasetDraft { Slug = "open-data", Title = new LocalizedText("Données", null, null) });

        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => datasets.Update(Admin, "open-data", new DatasetDraft { Policy = SharingPolicy.Public })));
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => datasets.Update(Admin, "open-data", new DatasetDraft { AllowedPeers = ["https://b.example"] })));
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => datasets.Preview(Admin, "open-data", new DatasetDraft { Policy = SharingPolicy.Public })));
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Code(() => datasets.Update(Admin, "open-data", new DatasetDraft { Policy = SharingPolicy.Public, Decision = "nothing" })));
        Assert.Equal(GovernanceCodes.DecisionMismatch, Code(() => datasets.Update(Admin, "open-data", new DatasetDraft { Policy = SharingPolicy.Public, Decision = "other" })));
        Assert.Equal(SharingPolicy.Private, datasets.Get(Admin, "open-data").Policy);
        Assert.Empty(datasets.SharingHistory(Admin, "open-data"));

        // What is not sharing needs nothing.
        datasets.Update(Admin, "open-data", new DatasetDraft { Title = new LocalizedText("Données ouvertes", null, null) });
        Assert.Equal(SharingPolicy.Public, datasets.Update(Admin, "open-data", new DatasetDraft { Policy = SharingPolicy.Public, Decision = "open-data" }).Policy);
        var change = Assert.Single(datasets.SharingHistory(Admin, "open-data"));
        Assert.Equal(("open-data", "Proposal open-data", "root"), (change.DecisionRef, change.DecisionTitle, change.ChangedBy));
        Assert.Empty(datasets.SharingHistory(Admin, "proposals"));
    }

    [Fact]
    public async Task A_new_dataset_shares_as_its_kind_says_without_a_decision_and_otherwise_only_with_one()
    {
        await using var s = await AdoptedAsync([GovernedSettings.DatasetPolicy], ("all", (GovernedSettings.DatasetPolicy, "*")));
        var (datasets, _, _) = Wired(s.Coordinator, s.Coordinator.Governance);
        Assert.Equal(SharingPolicy.Public, datasets.Create(Admin, new DatasetDraft { Slug = "rooms", Title = new LocalizedText("Salles", null, null), Kind = ResourcesKind.KindName }).Policy);
        Assert.Empty(datasets.SharingHistory(Admin, "rooms"));
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => datasets.Create(Admin, new DatasetDraft { Slug = "shared", Title = new LocalizedText("Partagé", null, null), Policy = SharingPolicy.Approval })));
        Assert.Null(s.Coordinator.DatasetStore.Find("shared"));
        datasets.Create(Admin, new DatasetDraft { Slug = "shared", Title = new LocalizedText("Partagé", null, null), Policy = SharingPolicy.Approval, Decision = "all" });
        Assert.Equal("all", Assert.Single(datasets.SharingHistory(Admin, "shared")).DecisionRef);
    }

    [Fact]
    public async Task Sharing_no_committee_governs_changes_as_before()
    {
        await using var s = await AdoptedAsync([GovernedSettings.CreditLimits]);
        var (datasets, _, _) = Wired(s.Coordinator, s.Coordinator.Governance);
        datasets.Create(Admin, new DatasetDraft { Slug = "free", Title = new LocalizedText("Libre", null, null), Policy = SharingPolicy.Public });
        Assert.Equal(SharingPolicy.Private, datasets.Update(Admin, "free", new DatasetDraft { Policy = SharingPolicy.Private }).Policy);
        Assert.Empty(datasets.SharingHistory(Admin, "free"));
    }

    [Fact]
    public async Task A_rooms_quota_changes_only_with_the_decision_that_authorises_it_through_either_way_in()
    {
        await using var s = await AdoptedAsync([GovernedSettings.PlaceQuota],
            ("quota", (GovernedSettings.PlaceQuota, "rooms")), ("elsewhere", (GovernedSettings.PlaceQuota, "vans")));
        var (datasets, records, quotas) = Wired(s.Coordinator, s.Coordinator.Governance);
        datasets.Create(Admin, new DatasetDraft { Slug = "rooms", Title = new LocalizedText("Salles", null, null), Kind = ResourcesKind.KindName });
        records.Create(Admin, "rooms", "hall", Room);
        Assert.True(quotas.Governed);

        // The generic record API names no decision: a quota cannot change through it while governed.
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => records.Update(Admin, "rooms", "hall", RoomWithQuota, null, null)));
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => records.Create(Admin, "rooms", "small", RoomWithQuota)));
        // Nor through a batch: the record with a quota is named by its index, and nothing of the batch is stored.
        var refused = Assert.Throws<BatchRefusedException>(() => records.CreateMany(Admin, "rooms", [new RecordBatchItem("plain", Room), new RecordBatchItem("small", RoomWithQuota)]));
        var error = Assert.Single(refused.Errors);
        Assert.Equal((1, GovernanceCodes.DecisionRequired), (error.Index, error.Code));
        Assert.Equal(Core.Errors.ProblemCodes.NotFound, Code(() => records.Get(Admin, "rooms", "plain")));
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => quotas.Change(Admin, "hall", 20, null)));
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Code(() => quotas.Change(Admin, "hall", 20, "nothing")));
        Assert.Equal(GovernanceCodes.DecisionMismatch, Code(() => quotas.Change(Admin, "hall", 20, "elsewhere")));
        Assert.Null(ResourcesKind.QuotaOf(records.Get(Admin, "rooms", "hall").Data));
        Assert.Empty(quotas.History(Admin, "hall"));

        Assert.Equal(20, quotas.Change(Admin, "hall", 20, "quota"));
        Assert.Equal(20, ResourcesKind.QuotaOf(records.Get(Admin, "rooms", "hall").Data));
        // The decision named for one change does not linger for the next write.
        Assert.Equal(GovernanceCodes.DecisionRequired, Code(() => records.Update(Admin, "rooms", "hall", Room, null, null)));
        // Other fields change freely; removing the quota is a change too.
        records.Update(Admin, "rooms", "hall", JsonSerializer.SerializeToElement(new { name = new { fr = "Salle des fêtes" }, category = "room", quotaHoursPerMonth = 20 }), null, null);
        Assert.Null(quotas.Change(Admin, "hall", null, "quota"));
        var history = quotas.History(Admin, "hall");
        Assert.Equal(2, history.Count);
        Assert.All(history, h => Assert.Equal(("quota", "Proposal quota"), (h.DecisionRef, h.DecisionTitle)));
        Assert.Equal(Core.Errors.ProblemCodes.NotFound, Code(() => quotas.Change(Admin, "nowhere", 5, "quota")));
    }

    [Fact]
    public async Task A_quota_no_committee_governs_changes_through_the_records_as_before()
    {
        await using var s = await AdoptedAsync([GovernedSettings.CreditLimits]);
        var (datasets, records, quotas) = Wired(s.Coordinator, s.Coordinator.Governance);
        datasets.Create(Admin, new DatasetDraft { Slug = "rooms", Title = new LocalizedText("Salles", null, null), Kind = ResourcesKind.KindName });
        records.Create(Admin, "rooms", "hall", RoomWithQuota);
        Assert.False(quotas.Governed);
        Assert.Equal(8, quotas.Change(Admin, "hall", 8, null));
        Assert.Empty(quotas.History(Admin, "hall"));
        // Without any governance registered (the committee module absent) too.
        var (_, bare, _) = Wired(s.Coordinator);
        bare.Update(Admin, "rooms", "hall", Room, null, null);
    }

    [Fact]
    public async Task Decision_verify_at_the_nodes_top_level_recounts_and_names_each_failure()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        await s.VoteManyAsync("p1", 2, 1, 0);
        s.Close("p1");

        var (exit, output, error) = RunNode(s.Coordinator, on: true, "decision", "verify", "p1");
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal("recount verified: p1 adopted, 3 signed ballot(s)", output.Trim());

        (exit, _, error) = RunNode(s.Coordinator, on: true, "decision", "verify", "nothing");
        Assert.Equal(1, exit);
        Assert.EndsWith("[not_found]", error.Trim());

        (exit, _, error) = RunNode(s.Coordinator, on: false, "decision", "verify", "p1");
        Assert.Equal(1, exit);
        Assert.EndsWith("[module_off]", error.Trim());
    }

    private static (int Exit, string Out, string Error) RunNode(CommitteeNode node, bool on, params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(node.Service).AddSingleton<IModuleSwitches>(new Switches(on)).BuildServiceProvider();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.Execute(args, new CliContext(services, stdout, Path.GetTempPath(), false), stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private sealed class Switches(bool on) : IModuleSwitches
    {
        public bool IsOn(string module) => on;
    }
}
