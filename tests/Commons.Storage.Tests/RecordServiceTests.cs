using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Record writes through the services on a real store: revisions, the changes feed, tombstones, If-Match.</summary>
public sealed class RecordServiceTests : IDisposable
{
    private const string RoomSchema = """
    { "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["name"], "additionalProperties": false,
      "properties": { "name": { "type": "string", "minLength": 1 }, "capacity": { "type": "integer", "minimum": 1 } } }
    """;

    private readonly TestNode _node = new();
    private readonly Dataset _rooms;

    public RecordServiceTests() => _rooms = _node.CreateDataset("rooms", RoomSchema);

    public void Dispose() => _node.Dispose();

    private IReadOnlyList<Change> Feed(string slug = "rooms") => _node.Records.Changes(Admin, slug, 0, 500).Changes;

    [Fact]
    public void Create_update_delete_give_revisions_and_feed_numbers_one_two_three()
    {
        var (created, c1) = _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        _node.Clock.Advance(TimeSpan.FromMinutes(1));
        var (updated, c2) = _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A", "capacity": 12 }"""), null, 1);
        _node.Clock.Advance(TimeSpan.FromMinutes(1));
        var (tomb, c3) = _node.Records.Delete(Admin, "rooms", "salle-a", 2);

        Assert.Equal([1L, 2L, 3L], new[] { created.Revision, updated.Revision, tomb.Revision });
        Assert.Equal([1L, 2L, 3L], new[] { c1!.Seq, c2!.Seq, c3!.Seq });
        Assert.Equal("\"2\"", updated.ETag);
        Assert.Equal(
            [(1L, ChangeKind.Create, "salle-a", 1L), (2L, ChangeKind.Update, "salle-a", 2L), (3L, ChangeKind.Delete, "salle-a", 3L)],
            Feed().Select(c => (c.Seq, c.Kind, c.RecordId!, c.Revision!.Value)));
        Assert.All(Feed(), c => Assert.Equal("root", c.By));
        Assert.Equal(3, _node.Feed.LastSeq(_rooms.Key));
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt > created.UpdatedAt);
    }

    [Fact]
    public void A_delete_leaves_a_tombstone_that_reads_as_not_found()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        _node.Clock.Advance(TimeSpan.FromSeconds(5));
        var (tomb, _) = _node.Records.Delete(Admin, "rooms", "salle-a", null);

        var stored = _node.RecordStore.Get(_rooms.Key, "salle-a");
        Assert.NotNull(stored);
        Assert.True(stored.Deleted);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(tomb.DeletedAt, stored.DeletedAt);
        Assert.Equal(_node.Clock.GetUtcNow(), stored.DeletedAt);
        Assert.Equal(System.Text.Json.JsonValueKind.Undefined, stored.Data.ValueKind);
        Assert.Throws<NotFoundException>(() => _node.Records.Get(Admin, "rooms", "salle-a"));
        Assert.Empty(_node.Records.List(Admin, "rooms", new RecordQuery()).Items);
        Assert.Equal(0, _node.RecordStore.Count(_rooms.Key));
        Assert.Throws<NotFoundException>(() => _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "B" }"""), null, null));
        Assert.Throws<NotFoundException>(() => _node.Records.Delete(Admin, "rooms", "salle-a", null));
        Assert.Equal(2, _node.Feed.LastSeq(_rooms.Key));
    }

    [Fact]
    public void Re_creating_after_a_delete_continues_the_revision()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        _node.Records.Delete(Admin, "rooms", "salle-a", 1);
        var (again, change) = _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A bis" }"""));

        Assert.Equal(3, again.Revision);
        Assert.False(again.Deleted);
        Assert.Null(again.DeletedAt);
        Assert.Equal((3L, ChangeKind.Create, 3L), (change!.Seq, change.Kind, change.Revision!.Value));
        Assert.Equal("Salle A bis", _node.Records.Get(Admin, "rooms", "salle-a").Data.GetProperty("name").GetString());
    }

    [Fact]
    public void Creating_an_existing_id_is_a_conflict_and_writes_nothing()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        Assert.Throws<ConflictException>(() => _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Autre" }""")));
        Assert.Equal("Salle A", _node.Records.Get(Admin, "rooms", "salle-a").Data.GetProperty("name").GetString());
        Assert.Single(Feed());
    }

    [Fact]
    public void A_stale_if_match_fails_and_writes_nothing()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A2" }"""), null, 1);

        var e = Assert.Throws<PreconditionFailedException>(() =>
            _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Overwrite" }"""), null, 1));
        Assert.Equal(2, e.CurrentRevision);
        Assert.Throws<PreconditionFailedException>(() => _node.Records.Update(Admin, "rooms", "salle-a", null, false, 3));
        Assert.Throws<PreconditionFailedException>(() => _node.Records.Delete(Admin, "rooms", "salle-a", 1));

        var stored = _node.Records.Get(Admin, "rooms", "salle-a");
        Assert.Equal(2, stored.Revision);
        Assert.True(stored.Shared);
        Assert.Equal("Salle A2", stored.Data.GetProperty("name").GetString());
        Assert.Equal(2, Feed().Count);
    }

    [Fact]
    public void An_identical_update_is_a_no_op_without_a_change()
    {
        var (created, _) = _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A", "capacity": 10 }"""));
        _node.Clock.Advance(TimeSpan.FromHours(1));
        var (same, change) = _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "capacity": 10, "name": "Salle A" }"""), true, 1);
        Assert.Null(change);
        Assert.Equal(1, same.Revision);
        Assert.Equal(created.UpdatedAt, _node.Records.Get(Admin, "rooms", "salle-a").UpdatedAt);
        var (nothing, none) = _node.Records.Update(Admin, "rooms", "salle-a", null, null, null);
        Assert.Null(none);
        Assert.Equal(1, nothing.Revision);
        Assert.Single(Feed());
    }

    [Fact]
    public void A_shared_flag_change_is_a_record_sharing_change_even_with_new_data()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        var (hidden, change) = _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""), false, 1);
        Assert.Equal((ChangeKind.RecordSharing, 2L, 2L), (change!.Kind, change.Seq, hidden.Revision));
        Assert.False(hidden.Shared);
        Assert.Empty(_node.Records.List(Admin, "rooms", new RecordQuery { IncludeUnshared = false }).Items);
        Assert.Single(_node.Records.List(Admin, "rooms", new RecordQuery()).Items);

        // Data and the shared flag together: still a sharing change, so peers learn to receive (or drop) the record.
        var (both, c3) = _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Salle B" }"""), true, 2);
        Assert.Equal(ChangeKind.RecordSharing, c3!.Kind);
        Assert.True(both.Shared);
    }

    [Fact]
    public void Records_created_unshared_stay_unshared()
    {
        var (r, _) = _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "Privée" }"""), shared: false);
        Assert.False(_node.Records.Get(Admin, "rooms", r.Id).Shared);
        Assert.Matches("^[0-9a-z]{26}$", r.Id);
    }

    [Fact]
    public void Invalid_records_are_refused_and_nothing_is_stored()
    {
        var e = Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "x", Body("""{ "name": "", "colour": "red" }""")));
        Assert.Equal(["$.colour", "$.name"], e.Errors.Select(x => x.Path).Order(StringComparer.Ordinal));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "x", Body("""[1, 2]""")));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "bad id!", Body("""{ "name": "A" }""")));
        _node.Limits.MaxRecordBytes = 100;
        Assert.Throws<RecordTooLargeException>(() => _node.Records.Create(Admin, "rooms", "x", Body($$"""{ "name": "{{new string('a', 200)}}" }""")));
        Assert.Null(_node.RecordStore.Get(_rooms.Key, "x"));
        Assert.Empty(Feed());
    }

    [Fact]
    public void Field_names_LiteDB_cannot_keep_are_refused_with_their_path_and_nothing_is_stored()
    {
        _node.CreateDataset("open");
        var e = Assert.Throws<ValidationException>(() =>
            _node.Records.Create(Admin, "open", "x", Body("""{ "contact": { "name": "a", "Name": "b" } }""")));
        Assert.Equal("$.contact.Name", Assert.Single(e.Errors).Path);
        Assert.Empty(Feed("open"));
        Assert.Null(_node.RecordStore.Get(_node.DatasetStore.Find("open")!.Key, "x"));
    }

    [Fact]
    public void Writes_survive_a_restart()
    {
        _node.Records.Create(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A" }"""));
        _node.Records.Update(Admin, "rooms", "salle-a", Body("""{ "name": "Salle A", "capacity": 3 }"""), null, 1);
        _node.Reopen();
        var r = _node.Records.Get(Admin, "rooms", "salle-a");
        Assert.Equal(2, r.Revision);
        Assert.Equal(3, r.Data.GetProperty("capacity").GetInt32());
        Assert.Equal([1L, 2L], Feed().Select(c => c.Seq));
        var (_, c3) = _node.Records.Create(Admin, "rooms", "salle-b", Body("""{ "name": "Salle B" }"""));
        Assert.Equal(3, c3!.Seq);
    }

    [Fact]
    public void Feeds_are_numbered_per_dataset()
    {
        _node.CreateDataset("offers");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
        _node.Records.Create(Admin, "offers", "a", Body("""{ "title": "A" }"""));
        _node.Records.Create(Admin, "offers", "b", Body("""{ "title": "B" }"""));
        Assert.Equal([1L], Feed("rooms").Select(c => c.Seq));
        Assert.Equal([1L, 2L], Feed("offers").Select(c => c.Seq));
        Assert.Equal([2L], _node.Records.Changes(Admin, "offers", 1, 10).Changes.Select(c => c.Seq));
    }

    [Fact]
    public void Members_write_records_according_to_their_grant()
    {
        var editor = _node.AddMember("eddy");
        var viewer = _node.AddMember("vera");
        var stranger = _node.AddMember("nina");
        _node.Datasets.SetGrant(Admin, "rooms", "eddy", GrantRole.Editor);
        _node.Datasets.SetGrant(Admin, "rooms", "Vera", GrantRole.Viewer);

        var (r, _) = _node.Records.Create(editor, "rooms", "a", Body("""{ "name": "A" }"""));
        Assert.Equal("eddy", r.CreatedBy);
        Assert.Equal("A", _node.Records.Get(viewer, "rooms", "a").Data.GetProperty("name").GetString());
        Assert.Throws<ForbiddenException>(() => _node.Records.Create(viewer, "rooms", "b", Body("""{ "name": "B" }""")));
        Assert.Throws<ForbiddenException>(() => _node.Records.Delete(viewer, "rooms", "a", null));
        Assert.Throws<NotFoundException>(() => _node.Records.Get(stranger, "rooms", "a"));
        Assert.Throws<NotFoundException>(() => _node.Records.Create(stranger, "rooms", "c", Body("""{ "name": "C" }""")));
        Assert.Throws<ForbiddenException>(() => _node.Records.Create(editor with { Scopes = Commons.Core.Tokens.TokenScopes.Read }, "rooms", "d", Body("""{ "name": "D" }""")));
        Assert.Single(Feed());
    }

    [Fact]
    public void Listing_a_dataset_already_read_still_asks_the_caller_s_access()
    {
        var (viewer, stranger) = (_node.AddMember("vera"), _node.AddMember("nina"));
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
        _node.Datasets.SetGrant(Admin, "rooms", "vera", GrantRole.Viewer);
        var rooms = _node.Datasets.Get(Admin, "rooms"); // private: read by someone who may see it

        Assert.Equal(["a"], _node.Records.List(viewer, rooms, new RecordQuery()).Items.Select(r => r.Id));
        Assert.Throws<NotFoundException>(() => _node.Records.List(stranger, rooms, new RecordQuery()));
        Assert.Throws<NotFoundException>(() => _node.Records.List(Admin with { Scopes = Commons.Core.Tokens.TokenScopes.None }, rooms, new RecordQuery()));
    }
}
