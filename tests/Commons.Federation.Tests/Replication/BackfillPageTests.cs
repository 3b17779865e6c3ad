using System.Collections;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Replication;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// A backfill page is stored whole or not at all: its records and the subscription's checkpoint in one transaction, after
/// every item's proofs were checked (on all cores). A refused item, a subscription ended meanwhile, or a crash in the
/// middle of the transaction leaves neither records nor checkpoint; the page applied again afterwards lands once, whole.
/// </summary>
public sealed class BackfillPageTests : IDisposable
{
    private const int Records = 300;
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public BackfillPageTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < Records; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"o{i:D4}", ReplicationRig.Data($$"""{"title":"Salle à prêter","n":{{i}}}"""));
    }

    public void Dispose() => _rig.Dispose();

    private (List<JsonElement> Items, BackfillFeed.Page Page) FirstPage()
    {
        var page = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        return (page.Items.Select(ReplicationRig.Element).ToList(), page);
    }

    [Fact]
    public async Task A_page_is_stored_with_its_checkpoint_in_one_step_and_applying_it_again_stores_nothing_new()
    {
        var subscription = _rig.Subscribe("offers");
        var (items, page) = FirstPage();
        Assert.Equal(Records, items.Count);

        var outcome = await _rig.Applier.ApplyPageAsync(subscription, items, page.Last, done: page.Next is null, CancellationToken.None);

        Assert.Equal(Records, outcome.Applied);
        Assert.Null(outcome.RefusedAt);
        Assert.Equal(Records, _rig.Replicas.Count(subscription.Id));
        var stored = _rig.Subscriptions.Find(subscription.Id)!;
        Assert.Equal(page.Last, stored.BackfillAfter);
        Assert.True(stored.BackfillDone);
        Assert.Equal(ReplicationRig.Start, stored.BackfillDoneAt);
        Assert.All(_rig.Replicas.List(subscription.Id, null, Records), r => Assert.True(r.ProofVerified));

        var again = await _rig.Applier.ApplyPageAsync(subscription, items, page.Last, done: true, CancellationToken.None);
        Assert.Equal(0, again.Applied);
        Assert.Equal(Records, _rig.Replicas.Count(subscription.Id));
    }

    [Fact]
    public async Task One_item_whose_proof_fails_refuses_the_whole_page_and_the_checkpoint_stays()
    {
        var subscription = _rig.Subscribe("offers");
        var (_, page) = FirstPage();
        var tampered = page.Items.Select(i => i.DeepClone().AsObject()).ToList();
        tampered[211]["object"]!["commons:data"]!["n"] = 9999;
        var items = tampered.Select(ReplicationRig.Element).ToList();

        var outcome = await _rig.Applier.ApplyPageAsync(subscription, items, page.Last, done: true, CancellationToken.None);

        Assert.Null(outcome.Applied);
        Assert.Equal(211, outcome.RefusedAt);
        Assert.StartsWith("refused: the activity's proof", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _rig.Replicas.Count(subscription.Id));
        Assert.Equal(0, _rig.Subscriptions.Find(subscription.Id)!.BackfillAfter);
    }

    [Theory]
    [InlineData(SubscriptionState.Rejected)]
    [InlineData(SubscriptionState.Stopped)]
    public async Task A_page_for_a_subscription_ended_meanwhile_stores_nothing(SubscriptionState ended)
    {
        var subscription = _rig.Subscribe("offers");
        var (items, page) = FirstPage();
        _rig.Subscriptions.Upsert(subscription with { State = ended, ChangedAt = ReplicationRig.Start, Reason = "revoked" });

        var outcome = await _rig.Applier.ApplyPageAsync(subscription, items, page.Last, done: true, CancellationToken.None);

        Assert.Null(outcome.Applied);
        Assert.Equal(0, _rig.Replicas.Count(subscription.Id));
        Assert.Equal(0, _rig.Subscriptions.Find(subscription.Id)!.BackfillAfter);
    }

    [Fact]
    public async Task A_page_for_an_earlier_follow_of_the_same_dataset_stores_nothing()
    {
        var earlier = _rig.Subscribe("offers");
        var (items, page) = FirstPage();
        // Unfollowed and followed again while the page was in flight: a new follow activity, a new backfill from zero.
        _rig.Subscriptions.Upsert(earlier with { FollowActivityId = earlier.FollowActivityId + "-again" });

        var outcome = await _rig.Applier.ApplyPageAsync(earlier, items, page.Last, done: true, CancellationToken.None);

        Assert.Null(outcome.Applied);
        Assert.Equal(0, _rig.Replicas.Count(earlier.Id));
    }

    [Fact]
    public async Task A_page_signed_with_a_key_rotated_since_our_last_fetch_is_checked_whole_on_all_cores()
    {
        var subscription = _rig.Subscribe("offers");
        // B has the actor (its first key) cached from a page before the rotation.
        var before = _rig.Backfill.Read(_dataset, 0, 1);
        Assert.Equal(1, (await _rig.Applier.ApplyPageAsync(subscription, before.Items.Select(ReplicationRig.Element).ToList(), before.Last, false, CancellationToken.None)).Applied);

        _rig.Keys.Rotate("offers");
        _rig.ServeActor(_dataset);
        _rig.Clock.Advance(TimeSpan.FromMinutes(1)); // past the refresh interval, within the cache's time to live
        var page = _rig.Backfill.Read(_dataset, before.Last, BackfillFeed.MaxPageSize);
        Assert.All(page.Items, i => Assert.EndsWith("#ed25519-key-2", (string?)i["proof"]!["verificationMethod"], StringComparison.Ordinal));

        // Many items fail on the cached key at once; one refreshes the actor, and every one is checked again on the new keys.
        var outcome = await _rig.Applier.ApplyPageAsync(subscription, page.Items.Select(ReplicationRig.Element).ToList(), page.Last, true, CancellationToken.None);

        Assert.Null(outcome.RefusedAt);
        Assert.Equal(Records - 1, outcome.Applied);
        Assert.Equal(Records, _rig.Replicas.Count(subscription.Id));
    }

    [Fact]
    public void A_page_keeps_the_newer_of_two_changes_of_one_record_and_never_replaces_a_newer_replica()
    {
        var subscription = _rig.Subscribe("offers");
        ReplicaRecord Replica(string id, long revision) => new()
        {
            SubscriptionId = subscription.Id, RecordId = id, ObjectUri = _rig.ActorOf("offers") + "/records/" + id, Revision = revision,
            Data = ReplicationRig.Data($$"""{"rev":{{revision}}}"""), ReceivedAt = ReplicationRig.Start, ProofVerified = true,
        };
        ReplicaPage Page(params ReplicaRecord[] records) => new(subscription.Id, subscription.FollowActivityId, records, 1, false, ReplicationRig.Start);
        Assert.True(_rig.Replicas.ApplyIfNewer(Replica("held", 5)));

        // Newer then older, older then newer, within one page; and one older, one newer than what is held.
        Assert.Equal(3, _rig.Replicas.ApplyPage(Page(Replica("a", 3), Replica("a", 2), Replica("b", 1), Replica("b", 4))));
        Assert.Equal(0, _rig.Replicas.ApplyPage(Page(Replica("held", 4))));
        Assert.Equal(1, _rig.Replicas.ApplyPage(Page(Replica("held", 6), Replica("held", 6))));

        Assert.Equal(3, _rig.Replicas.Get(subscription.Id, "a")!.Revision);
        Assert.Equal(4, _rig.Replicas.Get(subscription.Id, "b")!.Revision);
        Assert.Equal(4, _rig.Replicas.Get(subscription.Id, "b")!.Data.GetProperty("rev").GetInt64());
        Assert.Equal(6, _rig.Replicas.Get(subscription.Id, "held")!.Revision);
        Assert.Equal(3, _rig.Replicas.Count(subscription.Id));
    }

    [Fact]
    public async Task A_crash_in_the_middle_of_a_page_leaves_no_half_applied_page_and_after_a_restart_the_page_is_applied_once_whole()
    {
        // The verified records of a real page, as the applier builds them (taken from a throwaway follow on the rig).
        var probe = _rig.Subscribe("offers");
        var (items, page) = FirstPage();
        await _rig.Applier.ApplyPageAsync(probe, items, page.Last, done: true, CancellationToken.None);
        var verified = _rig.Replicas.List(probe.Id, null, Records).Select(r => r with { SubscriptionId = "sub-crash" }).ToList();
        Assert.Equal(Records, verified.Count);

        var directory = Path.Combine(Path.GetTempPath(), $"commons-backfill-crash-{Guid.NewGuid():N}");
        try
        {
            var subscription = probe with { Id = "sub-crash" };
            using (var db = CommonsDatabase.Open(directory))
            {
                new LiteSubscriptionStore(db).Upsert(subscription);
                var replicas = new LiteReplicaStore(db);
                // The process dies half-way through the page's transaction: the 151st record never comes to be written
                // (the store reads the page twice: the ids it already holds, then the records it writes).
                var dying = new DiesAt<ReplicaRecord>(verified, 150, inPass: 2);
                Assert.Throws<CrashException>(() => replicas.ApplyPage(new ReplicaPage(subscription.Id, subscription.FollowActivityId, dying, page.Last, true, ReplicationRig.Start)));
                Assert.Equal(150, dying.Handed);
                Assert.Equal(0, replicas.Count(subscription.Id));
            }

            using (var restarted = CommonsDatabase.Open(directory))
            {
                var replicas = new LiteReplicaStore(restarted);
                var subscriptions = new LiteSubscriptionStore(restarted);
                Assert.Equal(0, replicas.Count(subscription.Id));
                Assert.Equal(0, subscriptions.Find(subscription.Id)!.BackfillAfter);
                Assert.False(subscriptions.Find(subscription.Id)!.BackfillDone);

                Assert.Equal(Records, replicas.ApplyPage(new ReplicaPage(subscription.Id, subscription.FollowActivityId, verified, page.Last, true, ReplicationRig.Start)));
                Assert.Equal(0, replicas.ApplyPage(new ReplicaPage(subscription.Id, subscription.FollowActivityId, verified, page.Last, true, ReplicationRig.Start)));
                Assert.Equal(Records, replicas.Count(subscription.Id));
                Assert.Equal(page.Last, subscriptions.Find(subscription.Id)!.BackfillAfter);
                Assert.Equal(verified.Select(r => (r.RecordId, r.Revision)), replicas.Revisions(subscription.Id));
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class CrashException() : Exception("the process died");

    /// <summary>A list whose enumeration throws after <c>at</c> items: a crash inside the transaction that is storing them.</summary>
    /// <summary>The items, until the one at <paramref name="at"/> of the <paramref name="inPass"/>-th enumeration, where the process "dies".</summary>
    private sealed class DiesAt<T>(IReadOnlyList<T> items, int at, int inPass = 1) : IReadOnlyList<T>
    {
        private int _passes;
        /// <summary>Items handed in the enumeration that dies.</summary>
        public int Handed { get; private set; }
        public int Count => items.Count;
        public T this[int index] => index < at ? items[index] : throw new CrashException();

        public IEnumerator<T> GetEnumerator()
        {
            var dying = ++_passes == inPass;
            foreach (var item in items)
            {
                if (!dying)
                {
                    yield return item;
                    continue;
                }
                if (Handed == at) throw new CrashException();
                Handed++;
                yield return item;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
