using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Dataset settings through the service on a real store: sharing changes in the feed, schema changes, slugs, grants.</summary>
public sealed class DatasetServiceTests : IDisposable
{
    private const string Loose = """{ "type": "object", "properties": { "name": { "type": "string" } } }""";
    private const string Strict = """{ "type": "object", "required": ["name", "capacity"], "properties": { "name": { "type": "string" }, "capacity": { "type": "integer" } } }""";

    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private IReadOnlyList<Change> Feed(string slug) => _node.Records.Changes(Admin, slug, 0, 500).Changes;

    [Fact]
    public void A_new_dataset_is_private_with_the_open_schema_and_its_creator_as_steward()
    {
        var member = _node.AddMember("stella");
        var d = _node.Datasets.Create(member, new DatasetDraft { Slug = "offres", Title = new LocalizedText("Offres", null, null) });
        Assert.Equal(SharingPolicy.Private, d.Policy);
        Assert.Equal(DatasetRules.OpenSchema, d.Schema);
        Assert.Equal(GrantRole.Steward, d.GrantOf("stella"));
        Assert.Equal(1, d.Version);
        var stored = _node.DatasetStore.Find("offres")!;
        Assert.Equal((d.Key, d.Schema, d.Title, d.CreatedAt, d.CreatedBy), (stored.Key, stored.Schema, stored.Title, stored.CreatedAt, stored.CreatedBy));
        Assert.Equal(d.Grants, stored.Grants);
        Assert.Throws<ConflictException>(() => _node.CreateDataset("offres"));
        Assert.DoesNotContain(_node.DatasetStore.Find("offres")!.Grants, g => g.Username != "stella");
    }

    [Theory]
    [InlineData("Offres")]
    [InlineData("-offres")]
    [InlineData("off res")]
    [InlineData("")]
    [InlineData("new")]
    public void Bad_slugs_are_refused(string slug)
    {
        var e = Assert.Throws<ValidationException>(() => _node.CreateDataset(slug));
        Assert.Equal("slug", Assert.Single(e.Errors).Path);
        Assert.Empty(_node.DatasetStore.List());
    }

    [Fact]
    public void A_preview_applies_the_draft_with_the_same_checks_and_stores_nothing()
    {
        _node.CreateDataset("rooms");
        var before = _node.DatasetStore.Find("rooms")!;
        var proposed = _node.Datasets.Preview(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = ["HTTPS://Other.Example/"] }, before.Version);
        Assert.Equal(SharingPolicy.Peers, proposed.Policy);
        Assert.Equal(["other.example"], proposed.AllowedPeers);
        Assert.Equal(before.Version + 1, proposed.Version);
        Assert.True(DatasetRules.SharingChanged(before, proposed));
        Assert.False(DatasetRules.SharingChanged(before, before with { License = "CC0-1.0" }));
        var stored = _node.DatasetStore.Find("rooms")!;
        Assert.Equal((SharingPolicy.Private, 0, before.Version), (stored.Policy, stored.AllowedPeers.Count, stored.Version));
        var feedLength = Feed("rooms").Count;

        var e = Assert.Throws<ValidationException>(() => _node.Datasets.Preview(Admin, "rooms", new DatasetDraft { AllowedPeers = ["not a host"] }));
        Assert.Equal("allowedPeers[0]", Assert.Single(e.Errors).Path);
        Assert.Throws<PreconditionFailedException>(() => _node.Datasets.Preview(Admin, "rooms", new DatasetDraft { License = "CC0-1.0" }, before.Version + 5));
        Assert.Equal(feedLength, Feed("rooms").Count);

        var saved = _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = ["HTTPS://Other.Example/"] }, before.Version);
        Assert.Equal((proposed.Policy, proposed.Version), (saved.Policy, saved.Version));
        Assert.Equal(proposed.AllowedPeers, saved.AllowedPeers);
        Assert.Equal(proposed.ExcludedFields, saved.ExcludedFields);
    }

    [Fact]
    public void The_slug_never_changes()
    {
        _node.CreateDataset("rooms");
        var e = Assert.Throws<ValidationException>(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Slug = "salles" }));
        Assert.Equal("slug", Assert.Single(e.Errors).Path);
        Assert.NotNull(_node.DatasetStore.Find("rooms"));
        Assert.Null(_node.DatasetStore.Find("salles"));
        // sending the same slug is fine
        Assert.Equal("rooms", _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Slug = "rooms", License = "CC-BY-4.0" }).Slug);
    }

    [Fact]
    public void Sharing_changes_and_profile_changes_of_a_shared_dataset_enter_the_feed_and_other_settings_do_not()
    {
        _node.CreateDataset("rooms");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));

        // Private: nobody outside sees the actor, so its title and licence are nobody's news.
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Title = new LocalizedText("Salles", "Zalen", "Rooms"), License = "CC0-1.0" });
        Assert.Single(Feed("rooms"));

        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Public });
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Public });  // unchanged: no entry
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { AllowedPeers = ["https://Other.Example:8443/"] });
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { ExcludedFields = ["$.contact.email"] });
        // Shared: what the actor shows enters the feed, so followers are sent the new actor.
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { License = "MIT" });
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { License = "MIT" });  // unchanged: no entry

        var feed = Feed("rooms");
        Assert.Equal([1L, 2L, 3L, 4L, 5L], feed.Select(c => c.Seq));
        Assert.Equal([ChangeKind.Create, ChangeKind.DatasetSharing, ChangeKind.DatasetSharing, ChangeKind.DatasetSharing, ChangeKind.DatasetProfile], feed.Select(c => c.Kind));
        Assert.All(feed.Skip(1), c => { Assert.Null(c.RecordId); Assert.Null(c.Revision); Assert.Equal("root", c.By); });

        var d = _node.DatasetStore.Find("rooms")!;
        Assert.Equal(["other.example:8443"], d.AllowedPeers);
        Assert.Equal(["contact.email"], d.ExcludedFields);
        Assert.Equal(SharingPolicy.Public, d.Policy);
        Assert.Equal(8, d.Version);
    }

    [Fact]
    public void A_stale_dataset_version_is_refused()
    {
        _node.CreateDataset("rooms");
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { License = "MIT" }, expectedVersion: 1);
        var e = Assert.Throws<PreconditionFailedException>(() =>
            _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Public }, expectedVersion: 1));
        Assert.Equal(2, e.CurrentRevision);
        Assert.Equal(SharingPolicy.Private, _node.DatasetStore.Find("rooms")!.Policy);
        Assert.Empty(Feed("rooms"));
    }

    [Fact]
    public void A_schema_change_is_refused_while_a_record_would_fail_it()
    {
        _node.CreateDataset("rooms", Loose);
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A", "capacity": 3 }"""));
        _node.Records.Create(Admin, "rooms", "b", Body("""{ "name": "B" }"""));
        _node.Records.Create(Admin, "rooms", "gone", Body("""{ "name": "Gone" }"""));
        _node.Records.Delete(Admin, "rooms", "gone", null);

        var e = Assert.Throws<ValidationException>(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Schema = Strict }));
        Assert.Equal("schema", Assert.Single(e.Errors).Path);
        Assert.Contains("'b'", e.Message);
        Assert.Contains("$.capacity", e.Message);
        Assert.Equal(Loose, _node.DatasetStore.Find("rooms")!.Schema);
        Assert.Equal(1, _node.DatasetStore.Find("rooms")!.Version);

        // once the record is fixed the change goes through; the tombstone does not count
        _node.Records.Update(Admin, "rooms", "b", Body("""{ "name": "B", "capacity": 1 }"""), null, 1);
        Assert.Equal(Strict, _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Schema = Strict }).Schema);
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "c", Body("""{ "name": "C" }""")));
    }

    [Fact]
    public void A_schema_change_checks_every_record_beyond_the_first_page()
    {
        _node.CreateDataset("rooms", Loose);
        for (var i = 0; i < 520; i++)
            _node.Records.Create(Admin, "rooms", $"r{i:D4}", Body($$"""{ "name": "R{{i}}", "capacity": {{i + 1}} }"""));
        _node.Records.Create(Admin, "rooms", "zzz-last", Body("""{ "name": "Last" }"""));
        Assert.Throws<ValidationException>(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Schema = Strict }));
    }

    [Fact]
    public void Grants_give_and_take_access()
    {
        var stella = _node.AddMember("stella");
        var nina = _node.AddMember("nina");
        _node.CreateDataset("rooms", by: stella);
        Assert.Throws<NotFoundException>(() => _node.Datasets.Get(nina, "rooms"));
        Assert.DoesNotContain(_node.Datasets.ListVisible(nina), d => d.Slug == "rooms");

        var e = Assert.Throws<ValidationException>(() => _node.Datasets.SetGrant(stella, "rooms", "ghost", GrantRole.Viewer));
        Assert.Equal("username", Assert.Single(e.Errors).Path);

        _node.Datasets.SetGrant(stella, "rooms", "NINA", GrantRole.Viewer);
        Assert.Equal(GrantRole.Viewer, _node.DatasetStore.Find("rooms")!.GrantOf("nina"));
        Assert.Equal("rooms", _node.Datasets.Get(nina, "rooms").Slug);
        Assert.Contains(_node.Datasets.ListVisible(nina), d => d.Slug == "rooms");
        Assert.Throws<ForbiddenException>(() => _node.Datasets.Update(nina, "rooms", new DatasetDraft { License = "MIT" }));
        Assert.Throws<ForbiddenException>(() => _node.Datasets.SetGrant(nina, "rooms", "nina", GrantRole.Steward));

        _node.Datasets.SetGrant(stella, "rooms", "nina", GrantRole.Editor);
        Assert.Single(_node.DatasetStore.Find("rooms")!.Grants, g => g.Username == "nina");
        _node.Records.Create(nina, "rooms", "a", Body("""{ "x": 1 }"""));

        _node.Datasets.RemoveGrant(stella, "rooms", "nina");
        Assert.Throws<NotFoundException>(() => _node.Records.Get(nina, "rooms", "a"));
        Assert.Throws<NotFoundException>(() => _node.Datasets.RemoveGrant(stella, "rooms", "nina"));

        // the last steward cannot leave on their own; an admin can take the grant away
        Assert.Throws<ConflictException>(() => _node.Datasets.RemoveGrant(stella, "rooms", "stella"));
        _node.Datasets.RemoveGrant(Admin, "rooms", "stella");
        Assert.Throws<NotFoundException>(() => _node.Datasets.Get(stella, "rooms"));
        // grants are not sharing changes
        Assert.Equal([ChangeKind.Create], Feed("rooms").Select(c => c.Kind));
    }

    [Fact]
    public void Public_datasets_are_readable_without_a_grant_but_not_writable()
    {
        var nina = _node.AddMember("nina");
        _node.CreateDataset("map", policy: SharingPolicy.Public);
        _node.Records.Create(Admin, "map", "a", Body("""{ "x": 1 }"""));
        Assert.Equal(1, _node.Records.Get(nina, "map", "a").Revision);
        Assert.Throws<ForbiddenException>(() => _node.Records.Create(nina, "map", "b", Body("""{ "x": 2 }""")));
        Assert.Throws<ForbiddenException>(() => _node.Datasets.Update(nina, "map", new DatasetDraft { Policy = SharingPolicy.Private }));
    }

    [Fact]
    public void Deleting_a_dataset_removes_its_records_and_feed()
    {
        var rooms = _node.CreateDataset("rooms");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "x": 1 }"""));
        _node.Datasets.Delete(Admin, "rooms");
        Assert.Null(_node.DatasetStore.Find("rooms"));
        var db = _node.Database.Raw();
        Assert.Equal(0, db.GetCollection(StoreLayout.Records).Count(StoreLayout.RecordsOf(rooms.Key)));
        Assert.Equal(0, db.GetCollection(StoreLayout.Changes).Count(StoreLayout.ChangesOf(rooms.Key, 0)));
        Assert.Null(db.GetCollection(StoreLayout.RecordCounts).FindById(rooms.Key));
        Assert.Equal(0, _node.RecordStore.Count(rooms.Key));
        Assert.Equal(0, _node.Feed.LastSeq(rooms.Key));
        // the shared collections stay; nothing was dropped
        Assert.Superset(StoreLayout.Shared.ToHashSet(), db.GetCollectionNames().ToHashSet());
        // a new dataset with the same slug gets a new key and a fresh feed
        var again = _node.CreateDataset("rooms");
        Assert.NotEqual(rooms.Key, again.Key);
        var (_, c) = _node.Records.Create(Admin, "rooms", "a", Body("""{ "x": 1 }"""));
        Assert.Equal((1L, 1L), (c!.Seq, c.Revision!.Value));
    }
}
