using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Following;
using Commons.Federation.Replication;
using Commons.Federation.Tests.Delivery;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Following;

/// <summary>
/// <see cref="FollowerService"/> decides who may see and answer a dataset's followers, on the node's real stores: its
/// stewards (administrators included) with a credential that may write. A dataset the caller may not know of is not
/// found; one it may see but not steward, or a read-only token, is forbidden; a refusal changes nothing.
/// </summary>
public sealed class FollowerServiceAccessTests : IDisposable
{
    private const TokenScopes All = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    private static readonly Caller Admin = new("admin", MemberRole.Admin, All);
    private static readonly Caller Steward = new("stella", MemberRole.Member, All);
    private static readonly Caller StewardReadOnly = new("stella", MemberRole.Member, TokenScopes.Read);
    private static readonly Caller Editor = new("ed", MemberRole.Member, All);
    private static readonly Caller Viewer = new("vic", MemberRole.Member, All);
    private static readonly Caller Outsider = new("olga", MemberRole.Member, All);
    private static readonly Caller AdminReadOnly = new("admin", MemberRole.Admin, TokenScopes.Read);
    private const string Peer = "http://b.test/actor";
    private const string Stranger = "http://c.test/actor";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-follower-access-{Guid.NewGuid():N}");
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private readonly CommonsDatabase _database;
    private readonly DatasetService _datasets;
    private readonly LiteFollowerStore _followers;
    private readonly LiteRevocationStore _revocations;
    private readonly LiteDeliveryQueue _queue;
    private readonly FollowerService _service;

    public FollowerServiceAccessTests()
    {
        _database = CommonsDatabase.Open(_directory);
        var datasetStore = new LiteDatasetStore(_database);
        var memberStore = new LiteMemberStore(_database);
        var members = new MemberService(memberStore, new LiteTokenStore(_database), new PasswordHasher(1_000), _clock);
        foreach (var caller in new[] { Steward, Editor, Viewer, Outsider })
            members.Register(caller.Username, null, "correct horse battery", MemberRole.Member);
        _datasets = new DatasetService(datasetStore, new LiteRecordStore(_database), memberStore, _clock);
        _followers = new LiteFollowerStore(_database);
        _revocations = new LiteRevocationStore(_database);
        _queue = new LiteDeliveryQueue(_database);
        var signal = new WorkSignal();
        var uris = new ActivityUris("http://a.test");
        var proofs = new ObjectProofs(new ActorKeyring(new LiteActorKeyStore(_database), _clock), uris, _clock);
        var manager = new FollowerManager(datasetStore, _followers, _revocations, new Outbox(_queue, signal, _clock), signal, uris, proofs, _clock);
        _service = new FollowerService(datasetStore, _followers, _revocations, manager);

        foreach (var (slug, policy) in new[] { ("offers", SharingPolicy.Approval), ("secret", SharingPolicy.Private) })
        {
            _datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(null, null, slug), Policy = policy });
            _datasets.SetGrant(Admin, slug, Steward.Username, GrantRole.Steward);
            _datasets.SetGrant(Admin, slug, Editor.Username, GrantRole.Editor);
            _datasets.SetGrant(Admin, slug, Viewer.Username, GrantRole.Viewer);
            _followers.Upsert(Follower(slug, Peer, FollowerState.Pending));
            _followers.Upsert(Follower(slug, Stranger, FollowerState.Accepted));
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Follower Follower(string slug, string actor, FollowerState state) => new()
    {
        DatasetSlug = slug, ActorUri = actor, Inbox = actor + "/inbox", FollowActivityId = actor + "#follows/1", State = state, Since = DeliveryRig.Start,
    };

    /// <summary>Every operation of the service, each as one call; the ones that write are marked.</summary>
    private static readonly (string Name, bool Writes, Action<FollowerService, Caller, string> Call)[] Operations =
    [
        ("stewarded", false, (s, c, slug) => s.Stewarded(c, slug)),
        ("list", false, (s, c, slug) => s.List(c, slug)),
        ("list pending", false, (s, c, slug) => s.List(c, slug, FollowerState.Pending)),
        ("revocations", false, (s, c, slug) => s.Revocations(c, slug)),
        ("accept", true, (s, c, slug) => s.Accept(c, slug, Peer)),
        ("refuse", true, (s, c, slug) => s.Refuse(c, slug, Peer)),
        ("remove", true, (s, c, slug) => s.Remove(c, slug, Stranger)),
    ];

    public static TheoryData<string, string> Refusals()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in Operations)
            foreach (var who in new[] { "editor", "viewer", "outsider", "steward read-only", "admin read-only" })
                data.Add(op.Name, who);
        return data;
    }

    private static Caller Named(string who) => who switch
    {
        "editor" => Editor,
        "viewer" => Viewer,
        "outsider" => Outsider,
        "steward read-only" => StewardReadOnly,
        "admin read-only" => AdminReadOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_caller_who_does_not_steward_the_dataset_is_refused_and_nothing_changes(string operation, string who)
    {
        var call = Operations.Single(o => o.Name == operation).Call;
        var caller = Named(who);
        var before = State();

        // A dataset shared outside the node exists for every member: forbidden.
        Assert.Throws<ForbiddenException>(() => call(_service, caller, "offers"));
        // A private one exists only for those with a grant: the outsider is told nothing.
        if (caller == Outsider) Assert.Throws<NotFoundException>(() => call(_service, caller, "secret"));
        else Assert.Throws<ForbiddenException>(() => call(_service, caller, "secret"));
        // Exactly as a dataset that does not exist, for the outsider; the others learn only that it does not.
        Assert.Throws<NotFoundException>(() => call(_service, caller, "nothing-here"));

        Assert.Equal(before, State());
    }

    [Theory]
    [InlineData("steward")]
    [InlineData("admin")]
    public void A_steward_or_an_administrator_answers_and_removes(string who)
    {
        var caller = who == "admin" ? Admin : Steward;
        Assert.Equal(2, _service.List(caller, "secret").Count);
        Assert.Equal(Peer, Assert.Single(_service.List(caller, "secret", FollowerState.Pending)).ActorUri);

        var accepted = _service.Accept(caller, "secret", Peer);
        Assert.Equal(FollowerState.Accepted, accepted.State);
        Assert.Equal(caller.Username, _followers.Find("secret", Peer)!.ApprovedBy); // the approval is the caller's, not a name passed along
        var revocation = _service.Remove(caller, "secret", Stranger);
        Assert.Equal(RevocationReasons.RemovedByASteward, revocation.Reason);
        Assert.Single(_service.Revocations(caller, "secret"));
        _service.Refuse(caller, "offers", Peer);
        Assert.Null(_followers.Find("offers", Peer));
        Assert.Equal(["Accept", "Reject", "Reject"], _queue.List(dead: false, 10).Select(d => d.ActivityType!).Order());
    }

    [Fact]
    public void Answering_what_is_not_pending_or_removing_who_does_not_follow_is_not_found_once_allowed()
    {
        Assert.Throws<NotFoundException>(() => _service.Accept(Steward, "offers", Stranger)); // accepted already
        Assert.Throws<NotFoundException>(() => _service.Refuse(Steward, "offers", "http://nobody.test/actor"));
        Assert.Throws<NotFoundException>(() => _service.Remove(Steward, "offers", Peer)); // pending, not following
        Assert.Empty(_queue.List(dead: false, 10));
    }

    [Fact]
    public void Pending_requests_are_those_of_the_datasets_the_caller_may_manage()
    {
        Assert.Equal(["offers", "secret"], _service.PendingRequests(Steward).Select(p => p.Dataset.Slug).Order());
        Assert.Equal(2, _service.PendingRequests(Admin).Count);
        foreach (var caller in new[] { Editor, Viewer, Outsider, StewardReadOnly, AdminReadOnly })
        {
            Assert.Empty(_service.PendingRequests(caller));
            Assert.False(FollowerService.MayManage(caller, _datasets.Get(Admin, "offers")));
        }
        Assert.True(FollowerService.MayManage(Steward, _datasets.Get(Admin, "offers")));
    }

    private string State() => string.Join("|",
        new[] { "offers", "secret" }.SelectMany(slug => _followers.List(slug).Select(f => $"{slug}:{f.ActorUri}:{f.State}:{f.ApprovedBy}"))
            .Concat(new[] { "offers", "secret" }.SelectMany(slug => _revocations.List(slug).Select(r => $"{slug}:{r.ActorUri}")))
            .Append($"queued:{_queue.CountPending()}"));
}
