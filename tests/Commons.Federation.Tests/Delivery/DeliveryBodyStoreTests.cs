using Commons.Core.Federation;
using Commons.Storage.Federation;
using LiteDB;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// The LiteDB queue keeps an activity's JSON once, however many inboxes it goes to, and deletes it with the last delivery
/// that refers to it: never before (a delivery would lose its body), never not at all (the queue would keep every body).
/// </summary>
public sealed class DeliveryBodyStoreTests : IDisposable
{
    private readonly DeliveryRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private long StoredBodies() => _rig.Database.Read(() => _rig.Database.Db.GetCollection(LiteDeliveryQueue.BodyCollection).LongCount());

    private long InlineCopies() => _rig.Database.Read(() =>
        _rig.Database.Db.GetCollection("deliveries").FindAll().LongCount(d => d.ContainsKey("json")));

    [Fact]
    public void A_change_to_many_inboxes_stores_its_json_once()
    {
        var items = _rig.Enqueue(Enumerable.Range(0, 50).Select(i => $"https://peer{i}.test/inbox").ToArray());

        Assert.Equal(1, StoredBodies());
        Assert.Equal(0, InlineCopies());
        var due = _rig.Queue.Due(DeliveryRig.Start, 100);
        Assert.Equal(50, due.Count);
        Assert.All(due, d => Assert.Equal(items[0].ActivityJson, d.ActivityJson));
    }

    [Fact]
    public void A_body_shared_by_two_enqueues_outlives_the_first_and_goes_with_the_last_delivery()
    {
        var first = _rig.Enqueue("https://a.test/inbox", "https://b.test/inbox");
        // The same activity again (a copy of the text, not the same string): stored once, referred to by all four.
        var again = _rig.Outbox.Items(DeliveryRig.Sender, DeliveryRig.Activity(), ["https://c.test/inbox", "https://d.test/inbox"]).ToList();
        _rig.Queue.Enqueue(again);
        Assert.Equal(1, StoredBodies());

        _rig.Queue.Complete(first.Select(i => i.Id).ToList());
        Assert.Equal(1, StoredBodies());
        Assert.All(_rig.Queue.Due(DeliveryRig.Start, 10), d => Assert.Equal(again[0].ActivityJson, d.ActivityJson));

        // A retried delivery keeps its body; a dead letter discarded by an administrator is the last to let go of it.
        _rig.Queue.Update(again[0] with { Attempts = 1, NextAttemptAt = DeliveryRig.Start.AddMinutes(1), LastError = "HTTP 503" });
        _rig.Queue.Complete(again[1].Id);
        Assert.Equal(again[0].ActivityJson, _rig.Queue.Find(again[0].Id)!.ActivityJson);
        _rig.Queue.Update(again[0] with { Dead = true, LastError = "HTTP 400" });
        Assert.Equal(1, StoredBodies());
        Assert.True(_rig.Queue.Discard(again[0].Id));

        Assert.Equal(0, StoredBodies());
        Assert.Equal(0, _rig.Queue.CountPending());
    }

    [Fact]
    public void A_delivery_handed_out_then_given_another_body_lets_go_of_the_body_it_has_when_removed()
    {
        var items = _rig.Enqueue("https://a.test/inbox", "https://b.test/inbox");
        Assert.Equal(2, _rig.Queue.Due(DeliveryRig.Start, 10).Count);

        var other = DeliveryRig.Activity("https://node.test/datasets/offers/changes/2").ToJsonString();
        _rig.Queue.Update(items[0] with { ActivityJson = other, Attempts = 1 });
        Assert.Equal(2, StoredBodies());
        _rig.Queue.Complete(items.Select(i => i.Id).ToList());

        Assert.Equal(0, StoredBodies());
    }

    [Fact]
    public void Deliveries_written_with_their_json_inline_are_still_delivered_and_removed()
    {
        var json = DeliveryRig.Activity().ToJsonString();
        _rig.Database.Write(() => _rig.Database.Db.GetCollection("deliveries").Insert(new BsonDocument
        {
            ["_id"] = "inline-1", ["inbox"] = "https://peer.test/inbox", ["sender"] = DeliveryRig.Sender, ["json"] = json, ["type"] = "Create",
            ["attempts"] = 0, ["created"] = DeliveryRig.Start.UtcTicks, ["next"] = DeliveryRig.Start.UtcTicks, ["error"] = BsonValue.Null, ["dead"] = false,
        }));
        _rig.Enqueue("https://other.test/inbox");

        var due = _rig.Queue.Due(DeliveryRig.Start, 10);
        Assert.Equal(json, Assert.Single(due, d => d.Id == "inline-1").ActivityJson);
        _rig.Queue.Complete(due.Select(d => d.Id).ToList());

        Assert.Equal(0, _rig.Queue.CountPending());
        Assert.Equal(0, StoredBodies());
    }

    [Fact]
    public void Deliveries_whose_body_is_gone_are_dead_lettered_and_the_others_still_go()
    {
        var broken = _rig.Enqueue(Enumerable.Range(0, 5).Select(i => $"https://lost{i}.test/inbox").ToArray());
        _rig.Database.Write(() => _rig.Database.Db.GetCollection(LiteDeliveryQueue.BodyCollection).DeleteAll());
        var fine = _rig.Outbox.Items(DeliveryRig.Sender, DeliveryRig.Activity("https://node.test/datasets/offers/changes/2"), ["https://fine.test/inbox"]).ToList();
        _rig.Queue.Enqueue(fine);

        // A poll no larger than the broken deliveries hands out none of them, and the good one at the latest on the next poll.
        var first = _rig.Queue.Due(DeliveryRig.Start, 5);
        Assert.All(first, d => Assert.Equal(fine[0].Id, d.Id));
        var second = Assert.Single(_rig.Queue.Due(DeliveryRig.Start, 5));
        Assert.Equal((fine[0].Id, fine[0].ActivityJson), (second.Id, second.ActivityJson));

        var dead = _rig.Queue.List(dead: true, 10);
        Assert.Equal(broken.Select(b => b.Id).Order(), dead.Select(d => d.Id).Order());
        Assert.All(dead, d => Assert.Equal(LiteDeliveryQueue.MissingBodyError, d.LastError));
        Assert.True(_rig.Queue.Discard(broken[0].Id));
        Assert.Equal(4, _rig.Queue.CountDead());
    }
}
