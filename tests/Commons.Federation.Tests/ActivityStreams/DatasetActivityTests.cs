using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class DatasetActivityTests
{
    private static readonly Commons.Core.Records.Record Drill = Record("r1", """{"name":"Drill","secret":"x"}""");

    [Fact]
    public void Create_wraps_the_note_with_a_stable_id_and_same_addressing()
    {
        var dataset = Offers(SharingPolicy.Public, "secret");
        var change = Change(12, ChangeKind.Create, "r1");
        var a = DatasetActivities.Create(dataset, change, Drill, Uris);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/12", (string?)a["id"]);
        Assert.Equal("Create", (string?)a["type"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", (string?)a["actor"]);
        Assert.Equal("2025-03-02T10:15:30Z", (string?)a["published"]);
        Assert.Equal(a["to"]!.ToJsonString(), a["object"]!["to"]!.ToJsonString());
        Assert.Equal(a["cc"]!.ToJsonString(), a["object"]!["cc"]!.ToJsonString());
        Assert.Equal("Note", (string?)a["object"]!["type"]);
        Assert.False(a["object"]!.AsObject().ContainsKey("@context"));
        Assert.Equal(a.ToJsonString(), DatasetActivities.Create(dataset, change, Drill, Uris).ToJsonString());
    }

    [Fact]
    public void Delete_carries_a_tombstone()
    {
        var a = DatasetActivities.Delete(Offers(SharingPolicy.Approval), Change(13, ChangeKind.Delete, "r1"), "r1", Uris);
        Assert.Equal("Delete", (string?)a["type"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/13", (string?)a["id"]);
        Assert.Equal("Tombstone", (string?)a["object"]!["type"]);
        Assert.Equal("Note", (string?)a["object"]!["formerType"]);
        Assert.Equal("""["http://127.0.0.1:5081/datasets/offers/followers"]""", a["to"]!.ToJsonString());
        Assert.False(a.ContainsKey("cc"));
    }

    [Fact]
    public void ForChange_maps_each_kind()
    {
        var d = Offers();
        Assert.Equal("Create", (string?)DatasetActivities.ForChange(d, Change(1, ChangeKind.Create, "r1"), Drill, Uris)!["type"]);
        Assert.Equal("Update", (string?)DatasetActivities.ForChange(d, Change(2, ChangeKind.Update, "r1"), Drill, Uris)!["type"]);
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(3, ChangeKind.Delete, "r1"), null, Uris)!["type"]);
        Assert.Equal("Create", (string?)DatasetActivities.ForChange(d, Change(4, ChangeKind.RecordSharing, "r1"), Drill, Uris)!["type"]);
        var unshared = Drill with { Shared = false, SharedOnce = true, Revision = 6, HiddenAtRevision = 5 };
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(5, ChangeKind.RecordSharing, "r1", 5), unshared, Uris)!["type"]);
        // Changed while unshared: peers were told at the unshare; a backfill, which may meet a follower holding anything, tells again.
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1", 6), unshared, Uris));
        Assert.Equal("Delete", (string?)DatasetActivities.ForCurrentState(d, Change(6, ChangeKind.Update, "r1", 6), unshared, Uris)!["type"]);
        // Hidden before the store kept the hiding revision: the unshare still tells, an edit does not.
        var hiddenLongAgo = unshared with { HiddenAtRevision = null };
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(5, ChangeKind.RecordSharing, "r1", 5), hiddenLongAgo, Uris)!["type"]);
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1", 6), hiddenLongAgo, Uris));
        // Never shared: not a word, not even its id, whatever happens to it.
        var neverShared = Drill with { Shared = false, SharedOnce = false };
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1"), neverShared, Uris));
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Create, "r1"), neverShared, Uris));
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Delete, "r1"), neverShared with { Deleted = true }, Uris));
        Assert.Null(DatasetActivities.ForChange(d, new Change(7, ChangeKind.DatasetSharing, null, null, "a", Updated), null, Uris));
        Assert.Null(DatasetActivities.ForChange(Offers(SharingPolicy.Private), Change(8, ChangeKind.Create, "r1"), Drill, Uris));
    }

    [Fact]
    public void A_change_about_another_record_is_refused() =>
        Assert.Throws<ArgumentException>(() => DatasetActivities.Create(Offers(), Change(1, ChangeKind.Create, "other"), Drill, Uris));

    [Fact]
    public void UpdateActor_embeds_the_actor_without_its_context()
    {
        var d = Offers();
        var actor = ActorDocuments.DatasetActor(d, Uris, Keys);
        var a = DatasetActivities.UpdateActor(d, actor, Uris.Change("offers", 7), Updated, Uris);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/7", (string?)a["id"]);
        Assert.Equal("Service", (string?)a["object"]!["type"]);
        Assert.False(a["object"]!.AsObject().ContainsKey("@context"));
        Assert.True(actor.ContainsKey("@context")); // the caller's document is left as it was
    }
}
