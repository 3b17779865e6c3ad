using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Place.Requests;
using Commons.Modules.Place.Services;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// The place module over a real LiteDB store in a temporary folder, wired as the node wires it: the stores behind
/// Core's ports, the domain services with the module's kinds, the module's own services and request handlers.
/// </summary>
public sealed class PlaceNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);
    public static readonly Caller Alice = new("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    public static readonly Caller Bob = new("bob", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    /// <summary>Friday 20 March 2026, 10:00 in Brussels: nine days before summer time begins.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public SetClock Clock { get; } = new(Start);
    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteChangeFeed Feed { get; }
    public LiteModuleStore ModuleStore { get; }
    public LiteFollowerStore Followers { get; }
    public MemberService Members { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }
    public PlaceDirectory Directory { get; }
    public PlaceService Place { get; }
    public ApprovalService Approvals { get; }
    public RecordingGateway Exchanges { get; } = new();
    public DirectViews RemoteViews { get; } = new();
    public RecordingPayments Payments { get; } = new();
    public Commons.Modules.Place.Payments.PlaceBilling Billing { get; }
    public LiteSubscriptionStore Subscriptions { get; }
    public LiteReplicaStore Replicas { get; }
    public RemotePlaces Remote { get; }
    public BookRequestHandler BookHandler { get; }
    public CancelRequestHandler CancelHandler { get; }

    public PlaceNode()
    {
        System.IO.Directory.CreateDirectory(_folder);
        Database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
        var kinds = new DatasetKindRegistry(new PlaceModule().Kinds);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        Feed = new LiteChangeFeed(Database);
        ModuleStore = new LiteModuleStore(Database);
        Followers = new LiteFollowerStore(Database);
        var members = new LiteMemberStore(Database);
        Members = new MemberService(members, new LiteTokenStore(Database), new PasswordHasher(1_000), Clock);
        Datasets = new DatasetService(DatasetStore, RecordStore, members, Clock, kinds: kinds);
        Records = new RecordService(Datasets, RecordStore, Feed, new Core.Records.RecordLimits(), Clock, kinds: kinds);
        Directory = new PlaceDirectory(DatasetStore);
        Billing = new Commons.Modules.Place.Payments.PlaceBilling(ModuleStore, Clock, [Payments]);
        Approvals = new ApprovalService(Directory, Records, RecordStore, Exchanges, Billing);
        Place = new PlaceService(Directory, Records, RecordStore, ModuleStore, Clock, Approvals);
        Subscriptions = new LiteSubscriptionStore(Database);
        Replicas = new LiteReplicaStore(Database);
        Remote = new RemotePlaces(Subscriptions, Replicas, RemoteViews, Exchanges, ModuleStore, Clock);
        var admission = new PeerAdmission(Followers);
        BookHandler = new BookRequestHandler(admission, Directory, Records, ModuleStore, RecordStore, Billing);
        CancelHandler = new CancelRequestHandler(admission, Directory, Place, RecordStore);
    }

    public void AddMember(string username) => Members.Register(username, null, "correct horse battery", MemberRole.Member);

    public Dataset CreateDataset(string slug, string kind) =>
        Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });

    /// <summary>A resources dataset "rooms" with the hall (open 08:00–22:00 every day, at most 4 hours, an hour's notice) and the van (no limits), and a bookings dataset.</summary>
    public PlaceNode WithPlace()
    {
        CreateDataset("rooms", "place.resources");
        CreateDataset("bookings", "place.bookings");
        Records.Create(Admin, "rooms", "hall", Doc("""
            {"name":{"fr":"Grande salle","nl":"Grote zaal","en":"Main hall"},"category":"room","maximumAttendeeCapacity":80,
             "accessibilityFeature":["stepFreeAccess"],"maxLengthMinutes":240,"minNoticeMinutes":60,
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
            """));
        Records.Create(Admin, "rooms", "van", Doc("""{"name":{"en":"Van"},"category":"item"}"""));
        return this;
    }

    public Core.Records.Record? Booking(string id) => RecordStore.Get(DatasetStore.Find("bookings")!.Key, id);

    public long BookingChanges() => Feed.LastSeq(DatasetStore.Find("bookings")!.Key);

    public static JsonElement Doc(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static BookingRequest Ask(string resource, string start, string end, string? purpose = null) => new(resource, At(start), At(end), purpose, null);

    public void Dispose()
    {
        Database.Dispose();
        try { System.IO.Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
