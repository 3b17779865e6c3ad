using Commons.Federation.Replication;
using Commons.Federation.Actors;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Delivery;

/// <summary>The changes feed turned into deliveries, on the node's real stores in a temporary LiteDB file.</summary>
public sealed class FanOutTests : IDisposable
{
    private static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    private const string Schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["title"],
      "properties": {
        "title": { "type": "string" },
        "contact": { "type": "object", "properties": { "name": { "type": "string" }, "email": { "type": "string" } } }
      }
    }
    """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-fanout-tests-{Guid.NewGuid():N}");
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private readonly CommonsDatabase _database;
    private readonly LiteDatasetStore _datasetStore;
    private readonly DatasetService _datasets;
    private readonly RecordService _records;
    private readonly LiteFollowerStore _followers;
    private readonly LiteDeliveryQueue _queue;
    private readonly WorkSignal _signal = new();
    private readonly FanOut _fanOut;

    private readonly ActorKeyring _keys;

    public FanOutTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _datasetStore = new LiteDatasetStore(_database);
        var recordStore = new LiteRecordStore(_database);
        var feed = new LiteChangeFeed(_database);
        _datasets = new DatasetService(_datasetStore, recordStore, new LiteMemberStore(_database), _clock);
        _records = new RecordService(_datasets, recordStore, feed, new RecordLimits(), _clock);
        _followers = new LiteFollowerStore(_database);
        _queue = new LiteDeliveryQueue(_database);
        var uris = new ActivityUris("http://node.test");
        _keys = new ActorKeyring(new LiteActorKeyStore(_database), _clock);
        var proofs = new ObjectProofs(_keys, uris, _clock);
        _fanOut = new FanOut(_datasetStore, recordStore, feed, _followers, _queue, new Outbox(_queue, _signal, _clock),
            uris, proofs, new DatasetActorUpdates(_keys, proofs, uris), _signal);
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Dataset Dataset(string slug, SharingPolicy policy) => _datasets.Create(Admin, new DatasetDraft
    {
        Slug = slug, Title = new LocalizedText("Offres", "Aanbod", "Offers"), Schema = Schema, Policy = policy,
        ExcludedFields = ["contact.email"],
    });

    private void Follow(string slug, string actor, string inbox, string? sharedInbox, FollowerState state = FollowerState.Accepted) =>
        _followers.Upsert(new Follower
        {
            DatasetSlug = slug, ActorUri = actor, Inbox = inbox, SharedInbox = sharedInbox, FollowActivityId = actor + "#follow/" + slug,
            State = state, Since = DeliveryRig.Start,
        });

    private static JsonElement Body(int i) => JsonDocument.Parse($$$"""
        {"title":"Salle de réunion #{{{i}}}","contact":{"name":"Hélène Dubois","email":"helene{{{i}}}@alternatives.example"}}
        """).RootElement.Clone();

    private IReadOnlyList<DeliveryItem> Pending() => _queue.List(dead: false, 1000);

    [Fact]
    public void Three_followers_on_two_shared_inboxes_get_one_delivery_per_inbox_per_change_and_a_second_run_enqueues_nothing()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        Follow("offers", "https://a.example/users/bob", "https://a.example/users/bob/inbox", "https://a.example/inbox");
        Follow("offers", "https://b.example/actor", "https://b.example/actor/inbox", "https://b.example/inbox");
        Follow("offers", "https://c.example/actor", "https://c.example/actor/inbox", "https://c.example/inbox", FollowerState.Pending);
        // Three changes of two live records (a record deleted before its fan-out would send only its Delete: the feed
        // sends the state at fan-out time, so none of them is deleted here).
        _records.Create(Admin, "offers", "r1", Body(1));
        _records.Create(Admin, "offers", "r2", Body(2));
        var last = _records.Update(Admin, "offers", "r1", Body(3), shared: null, expectedRevision: null);

        Assert.True(_fanOut.RunOnce() >= 3);

        var pending = Pending();
        Assert.Equal(6, pending.Count);
        var byActivity = pending.GroupBy(d => JsonNode.Parse(d.ActivityJson)!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(3, byActivity.Count);
        foreach (var group in byActivity)
            Assert.Equal(["https://a.example/inbox", "https://b.example/inbox"], group.Select(d => d.Inbox).Order(StringComparer.Ordinal));
        Assert.Equal(["Create", "Create", "Create", "Create", "Update", "Update"], pending.Select(d => d.ActivityType!).Order(StringComparer.Ordinal));
        Assert.All(pending, d =>
        {
            Assert.Equal("offers", d.Sender);
            Assert.Equal(0, d.Attempts);
            Assert.False(d.Dead);
            Assert.Equal(DeliveryRig.Start, d.NextAttemptAt);
        });
        Assert.Equal(last.Change!.Seq, _queue.FanOutCursor("offers"));

        Assert.Equal(0, _fanOut.RunOnce());
        Assert.Equal(6, Pending().Count);

        // A new change after the cursor goes out once, to the same two inboxes.
        var deleted = _records.Delete(Admin, "offers", "r2", expectedRevision: null);
        Assert.Equal(1, _fanOut.RunOnce());
        var deletes = Pending().Where(d => d.ActivityType == "Delete").ToList();
        Assert.Equal(["https://a.example/inbox", "https://b.example/inbox"], deletes.Select(d => d.Inbox).Order(StringComparer.Ordinal));
        Assert.Equal(8, Pending().Count);
        Assert.Equal(deleted.Change!.Seq, _queue.FanOutCursor("offers"));
        Assert.Equal(0, _fanOut.RunOnce());
    }

    [Fact]
    public void Excluded_fields_are_not_in_the_enqueued_activity()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        _records.Create(Admin, "offers", "r1", Body(7));
        _records.Update(Admin, "offers", "r1", Body(8), shared: null, expectedRevision: null);

        _fanOut.RunOnce();

        var pending = Pending();
        Assert.Equal(2, pending.Count);
        Assert.All(pending, d =>
        {
            Assert.DoesNotContain("alternatives.example", d.ActivityJson, StringComparison.Ordinal);
            Assert.DoesNotContain("\"email\"", d.ActivityJson, StringComparison.Ordinal);
            Assert.Contains("Hélène Dubois", JsonNode.Parse(d.ActivityJson)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_private_dataset_enqueues_nothing_even_with_followers_and_its_cursor_still_moves()
    {
        var secret = Dataset("secret", SharingPolicy.Private);
        Follow("secret", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        _records.Create(Admin, "secret", "r1", Body(1));
        var last = _records.Create(Admin, "secret", "r2", Body(2));

        Assert.True(_fanOut.RunFor(secret) >= 2);

        Assert.Empty(Pending());
        Assert.Equal(last.Change!.Seq, _queue.FanOutCursor("secret"));
        Assert.Equal(0, _fanOut.RunOnce());
        Assert.Empty(Pending());
    }

    [Fact]
    public void Unshared_records_enqueue_nothing_until_they_are_shared()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        _records.Create(Admin, "offers", "draft", Body(1), shared: false);
        _records.Update(Admin, "offers", "draft", Body(2), shared: null, expectedRevision: null);

        _fanOut.RunOnce();
        Assert.Empty(Pending());

        _records.Update(Admin, "offers", "draft", data: null, shared: true, expectedRevision: null);
        _fanOut.RunOnce();
        var create = Assert.Single(Pending());
        Assert.Equal("Create", create.ActivityType);
        Assert.Equal("https://a.example/inbox", create.Inbox);
    }

    [Fact]
    public async Task A_settings_change_sends_the_signed_actor_once_per_inbox_and_record_changes_do_not()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        Follow("offers", "https://b.example/actor", "https://b.example/actor/inbox", "https://b.example/inbox");
        _records.Create(Admin, "offers", "r1", Body(1));
        _fanOut.RunOnce();
        Assert.DoesNotContain(Pending(), d => d.ActivityType == "Update");

        _datasets.Update(Admin, "offers", new DatasetDraft { Title = new LocalizedText("Prêts", "Leningen", "Loans") });
        _datasets.Update(Admin, "offers", new DatasetDraft { License = "CC0-1.0" });
        _fanOut.RunOnce();

        // Two settings changes in one batch: one Update per inbox, showing the actor as it is after both.
        var updates = Pending().Where(d => d.ActivityType == "Update").OrderBy(d => d.Inbox, StringComparer.Ordinal).ToList();
        Assert.Equal(["https://a.example/inbox", "https://b.example/inbox"], updates.Select(u => u.Inbox));
        var activity = JsonNode.Parse(updates[0].ActivityJson)!.AsObject();
        Assert.Equal($"http://node.test/datasets/offers/changes/{_queue.FanOutCursor("offers")}", (string?)activity["id"]);
        Assert.Equal("http://node.test/datasets/offers", (string?)activity["object"]!["id"]);
        Assert.Equal("Loans", (string?)activity["object"]!["name"]);
        Assert.Equal("CC0-1.0", (string?)activity["object"]!["commons:license"]);
        Assert.Equal("http://node.test/datasets/offers#ed25519-key", (string?)activity["proof"]!["verificationMethod"]);
        var key = _keys.For("offers").Ed25519.PublicKey;
        Assert.True((await EddsaJcs2022Cryptosuite.VerifyAsync(activity, (_, _) => Task.FromResult<Ed25519VerificationKey?>(key))).IsValid);

        Assert.Equal(0, _fanOut.RunOnce());
        Assert.Equal(2, Pending().Count(d => d.ActivityType == "Update"));
    }

    [Fact]
    public void A_dataset_made_private_sends_no_actor_update()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        _datasets.Update(Admin, "offers", new DatasetDraft { Title = new LocalizedText(null, null, "Secret"), Policy = SharingPolicy.Private });
        _fanOut.RunOnce();
        Assert.DoesNotContain(Pending(), d => d.ActivityType == "Update");
    }

    private string[] PendingTypes() => Pending().Select(d => d.ActivityType!).Order(StringComparer.Ordinal).ToArray();

    private void SharedRecordFollowedByAlice()
    {
        Dataset("offers", SharingPolicy.Public);
        Follow("offers", "https://a.example/users/alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
        _records.Create(Admin, "offers", "r1", Body(1));
        _fanOut.RunOnce();
        Assert.Equal(["Create"], PendingTypes());
    }

    [Fact]
    public void A_change_to_a_record_already_unshared_queues_nothing_more()
    {
        SharedRecordFollowedByAlice();
        _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _fanOut.RunOnce();
        Assert.Equal(["Create", "Delete"], PendingTypes());

        // Peers were told to drop it at the unshare; its edits and its deletion while unshared are none of their business.
        _records.Update(Admin, "offers", "r1", Body(2), shared: null, expectedRevision: null);
        _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _records.Delete(Admin, "offers", "r1", expectedRevision: null);
        _fanOut.RunOnce();
        Assert.Equal(["Create", "Delete"], PendingTypes());
    }

    [Fact]
    public void An_update_followed_at_once_by_an_unshare_queues_one_delete()
    {
        SharedRecordFollowedByAlice();
        _records.Update(Admin, "offers", "r1", Body(2), shared: null, expectedRevision: null);
        var unshare = _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _fanOut.RunOnce();

        Assert.Equal(["Create", "Delete"], PendingTypes());
        var delete = Pending().Single(d => d.ActivityType == "Delete");
        Assert.Equal($"http://node.test/datasets/offers/changes/{unshare.Change!.Seq}", JsonNode.Parse(delete.ActivityJson)!["id"]!.GetValue<string>());
    }

    [Fact]
    public void An_unshare_then_edits_before_the_fan_out_still_queue_the_one_delete()
    {
        SharedRecordFollowedByAlice();
        _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _records.Update(Admin, "offers", "r1", Body(2), shared: null, expectedRevision: null);
        _records.Update(Admin, "offers", "r1", Body(3), shared: null, expectedRevision: null);
        _fanOut.RunOnce();
        Assert.Equal(["Create", "Delete"], PendingTypes());
    }

    [Fact]
    public void Unshared_shared_again_and_unshared_before_the_fan_out_queues_one_delete_and_a_delete_while_shared_one_more()
    {
        SharedRecordFollowedByAlice();
        _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _records.Update(Admin, "offers", "r1", data: null, shared: true, expectedRevision: null);
        _records.Update(Admin, "offers", "r1", data: null, shared: false, expectedRevision: null);
        _fanOut.RunOnce();
        Assert.Equal(["Create", "Delete"], PendingTypes());

        _records.Update(Admin, "offers", "r1", data: null, shared: true, expectedRevision: null);
        _records.Delete(Admin, "offers", "r1", expectedRevision: null);
        _fanOut.RunOnce();
        Assert.Equal(["Create", "Delete", "Delete"], PendingTypes());
    }
}
