using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Records;
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

/// <summary>Which followers a policy change revokes, and what a revocation leaves behind, on the node's real stores.</summary>
public sealed class FollowerReassessmentTests : IDisposable
{
    private static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
    private const string Schema = """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}""";
    private const string B = "http://b.test/actor";
    private const string C = "http://c.test/actor";
    private const string D = "http://d.test/actor";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-reassess-tests-{Guid.NewGuid():N}");
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private readonly CommonsDatabase _database;
    private readonly LiteDatasetStore _datasetStore;
    private readonly DatasetService _datasets;
    private readonly LiteFollowerStore _followers;
    private readonly LiteRevocationStore _revocations;
    private readonly LiteDeliveryQueue _queue;
    private readonly FollowerManager _manager;
    private readonly FanOut _fanOut;
    private readonly ActivityUris _uris = new("http://a.test");

    public FollowerReassessmentTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _datasetStore = new LiteDatasetStore(_database);
        var recordStore = new LiteRecordStore(_database);
        var feed = new LiteChangeFeed(_database);
        _datasets = new DatasetService(_datasetStore, recordStore, new LiteMemberStore(_database), _clock);
        _followers = new LiteFollowerStore(_database);
        _revocations = new LiteRevocationStore(_database);
        _queue = new LiteDeliveryQueue(_database);
        var signal = new WorkSignal();
        var outbox = new Outbox(_queue, signal, _clock);
        var keys = new ActorKeyring(new LiteActorKeyStore(_database), _clock);
        var proofs = new ObjectProofs(keys, _uris, _clock);
        _manager = new FollowerManager(_datasetStore, _followers, _revocations, outbox, signal, _uris, proofs, _clock);
        _fanOut = new FanOut(_datasetStore, recordStore, feed, _followers, _queue, outbox, _uris, proofs, new DatasetActorUpdates(keys, proofs, _uris), signal,
            new FollowerReassessment(_followers, _manager));
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Dataset Ds(SharingPolicy policy, params string[] peers) => new()
    {
        Slug = "offers", Title = new LocalizedText(null, null, "Offers"), Schema = Schema, Policy = policy, AllowedPeers = peers,
    };

    private static Follower F(string actor, FollowerState state = FollowerState.Accepted, string? approvedBy = null) => new()
    {
        DatasetSlug = "offers", ActorUri = actor, Inbox = actor + "/inbox", FollowActivityId = actor + "#follows/1", State = state,
        ApprovedBy = approvedBy,
    };

    [Fact]
    public void Public_keeps_everyone()
    {
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(Ds(SharingPolicy.Public), F(B)).Verdict);
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(Ds(SharingPolicy.Public), F(C, FollowerState.Pending)).Verdict);
    }

    [Fact]
    public void Approval_revokes_only_the_followers_no_steward_approved_and_keeps_pending_requests()
    {
        var approval = Ds(SharingPolicy.Approval);
        Assert.Equal((ReassessmentVerdict.Revoke, RevocationReasons.PolicyChangedToApproval), FollowerReassessment.Decide(approval, F(B)));
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(approval, F(C, approvedBy: "alice")).Verdict);
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(approval, F(D, FollowerState.Pending)).Verdict);
    }

    [Fact]
    public void Peers_revokes_hosts_off_the_allow_list_approved_or_not_and_refuses_their_pending_requests()
    {
        var peers = Ds(SharingPolicy.Peers, "c.test");
        Assert.Equal((ReassessmentVerdict.Revoke, RevocationReasons.NotOnTheAllowList), FollowerReassessment.Decide(peers, F(B, approvedBy: "alice")));
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(peers, F(C)).Verdict);
        Assert.Equal(ReassessmentVerdict.Refuse, FollowerReassessment.Decide(peers, F(D, FollowerState.Pending)).Verdict);
        Assert.Equal(ReassessmentVerdict.Keep, FollowerReassessment.Decide(peers, F(C, FollowerState.Pending)).Verdict);
    }

    [Fact]
    public void Private_revokes_everyone_and_refuses_every_request()
    {
        var closed = Ds(SharingPolicy.Private, "b.test");
        Assert.Equal((ReassessmentVerdict.Revoke, RevocationReasons.DatasetBecamePrivate), FollowerReassessment.Decide(closed, F(B)));
        Assert.Equal((ReassessmentVerdict.Revoke, RevocationReasons.DatasetBecamePrivate), FollowerReassessment.Decide(closed, F(C, approvedBy: "alice")));
        Assert.Equal(ReassessmentVerdict.Refuse, FollowerReassessment.Decide(closed, F(D, FollowerState.Pending)).Verdict);
    }

    [Fact]
    public void A_policy_change_met_by_the_fan_out_revokes_exactly_the_followers_no_longer_allowed_once()
    {
        _datasets.Create(Admin, new DatasetDraft { Slug = "offers", Title = new LocalizedText(null, null, "Offers"), Schema = Schema, Policy = SharingPolicy.Public });
        _followers.Upsert(F(B));
        _followers.Upsert(F(C, approvedBy: "alice"));
        _fanOut.RunOnce();
        Assert.Empty(_queue.List(dead: false, 100));

        _datasets.Update(Admin, "offers", new DatasetDraft { Policy = SharingPolicy.Approval });
        _fanOut.RunOnce();

        Assert.Null(_followers.Find("offers", B));
        Assert.NotNull(_followers.Find("offers", C));
        var revocation = Assert.Single(_revocations.List("offers"));
        Assert.Equal(B, revocation.ActorUri);
        Assert.Equal(RevocationReasons.PolicyChangedToApproval, revocation.Reason);
        Assert.Null(revocation.PurgedAt);
        var queued = _queue.List(dead: false, 100);
        Assert.Equal(2, queued.Count);
        // The follower still allowed is sent the actor with its new policy.
        var update = Assert.Single(queued, d => d.ActivityType == "Update");
        Assert.Equal(C + "/inbox", update.Inbox);
        var reject = Assert.Single(queued, d => d.ActivityType == "Reject");
        Assert.Equal(B + "/inbox", reject.Inbox);
        Assert.Equal("offers", reject.Sender);
        using (var doc = JsonDocument.Parse(reject.ActivityJson))
        {
            Assert.Equal(revocation.RejectActivityId, doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(B + "#follows/1", doc.RootElement.GetProperty("object").GetProperty("id").GetString());
        }

        // Met again (a crash before the cursor moved would do this): nothing more.
        _fanOut.RunOnce();
        Assert.Single(_revocations.List("offers"));
        Assert.Equal(2, _queue.List(dead: false, 100).Count);
    }

    [Fact]
    public void Assess_lists_the_followers_decide_does_not_keep_in_order()
    {
        var followers = new[] { F(B), F(C, approvedBy: "alice"), F(D, FollowerState.Pending) };
        var approval = FollowerReassessment.Assess(Ds(SharingPolicy.Approval), followers);
        Assert.Equal([(B, ReassessmentVerdict.Revoke)], approval.Select(a => (a.Follower.ActorUri, a.Verdict)));
        Assert.Equal(RevocationReasons.PolicyChangedToApproval, approval[0].Reason);
        var peers = FollowerReassessment.Assess(Ds(SharingPolicy.Peers, "c.test"), followers);
        Assert.Equal([(B, ReassessmentVerdict.Revoke), (D, ReassessmentVerdict.Refuse)], peers.Select(a => (a.Follower.ActorUri, a.Verdict)));
        Assert.Empty(FollowerReassessment.Assess(Ds(SharingPolicy.Public), followers));
    }

    [Theory]
    [InlineData(SharingPolicy.Approval, "")]
    [InlineData(SharingPolicy.Peers, "c.test")]
    [InlineData(SharingPolicy.Peers, "b.test,d.test")]
    [InlineData(SharingPolicy.Private, "")]
    [InlineData(SharingPolicy.Public, "")]
    public void A_preview_of_unsaved_settings_names_exactly_the_followers_the_saved_change_then_revokes_and_refuses(SharingPolicy policy, string peers)
    {
        _datasets.Create(Admin, new DatasetDraft { Slug = "offers", Title = new LocalizedText(null, null, "Offers"), Schema = Schema, Policy = SharingPolicy.Public });
        _followers.Upsert(F(B));
        _followers.Upsert(F(C, approvedBy: "alice"));
        _followers.Upsert(F(D, FollowerState.Pending));
        _fanOut.RunOnce();
        var draft = new DatasetDraft { Policy = policy, AllowedPeers = peers.Split(',', StringSplitOptions.RemoveEmptyEntries) };
        var reassessment = new FollowerReassessment(_followers, _manager);

        var preview = reassessment.Preview(_datasets.Preview(Admin, "offers", draft));
        Assert.Equal(3, _followers.List("offers").Count); // a preview changes nothing

        _datasets.Update(Admin, "offers", draft);
        _fanOut.RunOnce();
        var revoked = _revocations.List("offers").Select(r => r.ActorUri).Order().ToList();
        Assert.Equal(preview.Where(a => a.Verdict == ReassessmentVerdict.Revoke).Select(a => a.Follower.ActorUri).Order(), revoked);
        var gone = new[] { B, C, D }.Where(a => _followers.Find("offers", a) is null).Order().ToList();
        Assert.Equal(preview.Select(a => a.Follower.ActorUri).Order(), gone);
    }

    [Fact]
    public void A_confirmation_is_recorded_on_the_revocation_its_inReplyTo_names_else_on_the_latest_unconfirmed_one()
    {
        _datasets.Create(Admin, new DatasetDraft { Slug = "offers", Title = new LocalizedText(null, null, "Offers"), Schema = Schema, Policy = SharingPolicy.Public });
        _followers.Upsert(F(B));
        var first = _manager.Revoke(_followers.Find("offers", B)!, RevocationReasons.RemovedByASteward);
        var dataset = _uris.DatasetActor("offers");

        Assert.StartsWith("refused", _manager.OnPurgeConfirmed(C, dataset, first.RejectActivityId, null, "http://c.test/actor#purges/x"));
        Assert.StartsWith("refused", _manager.OnPurgeConfirmed(B, _uris.DatasetActor("other"), first.RejectActivityId, null, "http://b.test/actor#purges/y"));
        Assert.Null(_revocations.FindByReject(first.RejectActivityId)!.PurgedAt);

        var purged = DeliveryRig.Start.AddMinutes(-1);
        Assert.StartsWith("purge confirmed", _manager.OnPurgeConfirmed(B, dataset, first.RejectActivityId, purged, "http://b.test/actor#purges/1"));
        var confirmed = _revocations.FindByReject(first.RejectActivityId)!;
        Assert.Equal(purged, confirmed.PurgedAt);
        Assert.Equal("http://b.test/actor#purges/1", confirmed.ConfirmationId);
        Assert.StartsWith("ignored", _manager.OnPurgeConfirmed(B, dataset, first.RejectActivityId, null, "http://b.test/actor#purges/2"));

        // Followed again, removed again; a confirmation without inReplyTo lands on the one waiting.
        _followers.Upsert(F(B));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = _manager.Revoke(_followers.Find("offers", B)!, RevocationReasons.RemovedByASteward);
        Assert.StartsWith("purge confirmed", _manager.OnPurgeConfirmed(B, dataset, null, null, "http://b.test/actor#purges/3"));
        Assert.Equal(_clock.GetUtcNow(), _revocations.FindByReject(second.RejectActivityId)!.PurgedAt);
        Assert.Equal("http://b.test/actor#purges/1", _revocations.FindByReject(first.RejectActivityId)!.ConfirmationId);
    }
}

/// <summary>§8.7's example of the purge confirmation has the builder's shape.</summary>
public sealed class PurgeConfirmationSpecTests
{
    [Fact]
    public void The_spec_example_has_the_same_properties_as_the_builder_and_the_id_is_a_purge_of_the_node_actor()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "spec", "federation.md"))) root = Path.GetDirectoryName(root)!;
        var text = File.ReadAllText(Path.Combine(root, "spec", "federation.md"));
        var example = System.Text.RegularExpressions.Regex.Matches(text, "```json\n(.*?)\n```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => System.Text.Json.Nodes.JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Single(o => (string?)o["type"] == "Remove");
        var built = PurgeActivities.Confirmation("http://b.test/actor", "http://a.test/datasets/offers", "http://a.test/datasets/offers#rejects/1", DeliveryRig.Start, Guid.NewGuid());
        Assert.Equal(built.Select(p => p.Key).Order(), example.Select(p => p.Key).Order());
        Assert.StartsWith("http://b.test/actor#purges/", (string)built["id"]!);
        Assert.Equal("2026-03-01T12:00:00Z", (string)built["published"]!);
        Assert.StartsWith((string)example["actor"]! + "#purges/", (string)example["id"]!);
    }
}
