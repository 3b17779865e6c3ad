using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// Every write that commits changes to a dataset's feed tells the <see cref="Core.Changes.IChangeNotifier"/> once, after
/// the commit (the feed read from another thread already holds the change); a refused or unchanged write tells nobody.
/// </summary>
public sealed class ChangeNotifierTests : IDisposable
{
    private readonly TestNode _node = new();
    private readonly Dataset _rooms;

    public ChangeNotifierTests()
    {
        _rooms = _node.CreateDataset("rooms", """{ "type": "object", "properties": { "name": { "type": "string" } } }""", SharingPolicy.Public);
        _node.Notices.ReadFeed = key => _node.Feed.LastSeq(key);
    }

    public void Dispose() => _node.Dispose();

    private long LastSeq => _node.Feed.LastSeq(_rooms.Key);

    [Fact]
    public void Record_create_update_sharing_and_delete_each_notify_once_after_the_commit()
    {
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
        _node.Records.Update(Admin, "rooms", "a", Body("""{ "name": "A2" }"""), null, 1);
        _node.Records.Update(Admin, "rooms", "a", null, false, 2);
        _node.Records.Delete(Admin, "rooms", "a", 3);

        Assert.Equal(4, LastSeq);
        // Each notice saw its own change already committed: seq 1, 2, 3, 4 in turn.
        Assert.Equal([(_rooms.Key, 1L), (_rooms.Key, 2L), (_rooms.Key, 3L), (_rooms.Key, 4L)], _node.Notices.All.Select(n => (n.DatasetKey, n.SeenSeq ?? -1)));
    }

    [Fact]
    public void Dataset_sharing_and_profile_changes_notify_and_a_grant_change_which_writes_no_change_does_not()
    {
        _node.AddMember("ana");
        _node.Datasets.SetGrant(Admin, "rooms", "ana", GrantRole.Editor);
        Assert.Empty(_node.Notices.All);

        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Title = new LocalizedText("Rooms to let", null, null) });
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Approval });

        Assert.Equal(2, LastSeq);
        Assert.Equal([1L, 2L], _node.Notices.All.Select(n => n.SeenSeq ?? -1));
    }

    [Fact]
    public void Refused_and_unchanged_writes_notify_nobody()
    {
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
        var before = _node.Notices.All.Count;

        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "b", Body("""{ "name": 7 }""")));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "b", Body("[]")));
        Assert.Throws<ConflictException>(() => _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "again" }""")));
        // Refused inside the write transaction, which rolls back.
        Assert.Throws<PreconditionFailedException>(() => _node.Records.Update(Admin, "rooms", "a", Body("""{ "name": "B" }"""), null, 7));
        Assert.Throws<PreconditionFailedException>(() => _node.Records.Delete(Admin, "rooms", "a", 7));
        Assert.Throws<NotFoundException>(() => _node.Records.Delete(Admin, "rooms", "missing", null));
        Assert.Throws<RecordTooLargeException>(() => _node.Records.Create(Admin, "rooms", "c", Body($$"""{ "name": "{{new string('x', _node.Limits.MaxRecordBytes)}}" }""")));
        // Identical to the stored state: no new revision, no change.
        _node.Records.Update(Admin, "rooms", "a", Body("""{ "name": "A" }"""), true, null);

        Assert.Equal(1, LastSeq);
        Assert.Equal(before, _node.Notices.All.Count);
    }
}
