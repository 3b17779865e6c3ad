using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.Actors;
using Commons.Modules.Employers.Requests;
using Commons.Modules.Employers.Services;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Modules.Employers.Tests.Support;

/// <summary>
/// The employers' module over a real LiteDB store in a temporary folder, wired as the node wires it: the stores
/// behind Core's ports, the domain services with the module's kinds, the node's keyring for the signing key.
/// </summary>
public sealed class EmployersNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);
    public static readonly Caller Alice = new("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    public static readonly DateTimeOffset Start = new(2026, 4, 2, 9, 0, 0, TimeSpan.Zero);
    public const string A = "https://a.example/actor";
    public const string B = "https://b.example/actor";
    public const string C = "https://c.example/actor";
    public const string Outsider = "https://z.example/actor";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public SetClock Clock { get; } = new(Start);
    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteModuleStore ModuleStore { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }
    public NodeSigningKey SigningKey { get; }
    public EmployersService Group { get; }
    public HoursRequestHandler HoursHandler { get; }

    public EmployersNode()
    {
        Directory.CreateDirectory(_folder);
        Database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
        var kinds = new DatasetKindRegistry(new EmployersModule().Kinds);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        ModuleStore = new LiteModuleStore(Database);
        var members = new LiteMemberStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, members, Clock, kinds: kinds);
        Records = new RecordService(Datasets, RecordStore, new LiteChangeFeed(Database), new Core.Records.RecordLimits(), Clock, kinds: kinds);
        SigningKey = new NodeSigningKey(new ActorKeyring(new LiteActorKeyStore(Database), Clock));
        Group = new EmployersService(ModuleStore, DatasetStore, SigningKey, Clock);
        HoursHandler = new HoursRequestHandler(Records, ModuleStore);
    }

    public Dataset CreateDataset(string slug, string kind) =>
        Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });

    /// <summary>
    /// The group: organisations A, B and C share Anne (38 h/week, 3 250.40 €/month; A 50 %, B 30 %, C 20 %) and
    /// Bram (19 h/week, 1 700.00 €; B 60 %, C 40 %). Datasets: group, workers, assignments, hours.
    /// </summary>
    public EmployersNode WithGroup()
    {
        CreateDataset("group", "employers.group");
        CreateDataset("workers", "employers.workers");
        CreateDataset("assignments", "employers.assignments");
        CreateDataset("hours", "employers.hours");
        Records.Create(Admin, "group", "settings", Doc($$"""
            {"name":"Groupement Solidaire","recognition":"GE-BXL-2026-017","sizeLimit":30,"allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{A}}","name":"Asbl Alpha"},{"actor":"{{B}}","name":"Vzw Beta"},{"actor":"{{C}}","name":"Coop Gamma"}]}
            """));
        Records.Create(Admin, "workers", "anne", Doc("""{"name":"Anne Dupont","role":"Comptable","contractHoursPerWeek":38,"monthlyCost":"3250.40"}"""));
        Records.Create(Admin, "workers", "bram", Doc("""{"name":"Bram Peeters","role":"Animateur","contractHoursPerWeek":19,"monthlyCost":"1700.00"}"""));
        Assign("anne", A, 50); Assign("anne", B, 30); Assign("anne", C, 20);
        Assign("bram", B, 60); Assign("bram", C, 40);
        return this;
    }

    public void Assign(string worker, string member, decimal share) =>
        Records.Create(Admin, "assignments", null, Doc($$"""{"worker":"{{worker}}","member":"{{member}}","plannedShare":{{share}}}"""));

    public Core.Records.Record EnterHours(string worker, string member, string month, string hours) =>
        Records.Create(Admin, "hours", null, Doc($$"""{"worker":"{{worker}}","member":"{{member}}","month":"{{month}}","hours":"{{hours}}"}""")).Record;

    public long Count(string dataset) => RecordStore.Count(DatasetStore.Find(dataset)!.Key);

    public static JsonElement Doc(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        Database.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
