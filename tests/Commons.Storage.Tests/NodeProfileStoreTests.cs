using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage.Tests.Support;
using LiteDB;

namespace Commons.Storage.Tests;

/// <summary>
/// The organisation's description and the first-run switch in the node document: stored whole, read as "none" and
/// "shown" from documents written before they existed (the committed v0 store among them), changed by administrators only.
/// </summary>
public sealed class NodeProfileStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_node_document_without_description_reads_with_none_and_the_checklist_shown()
    {
        var folder = _temp.Sub("old");
        using (var db = CommonsDatabase.Open(folder))
            db.Write(() => db.Db.GetCollection("node").Upsert(new BsonDocument
            {
                ["_id"] = "node", ["name"] = "atelier", ["createdAt"] = At.UtcTicks, ["tokenKey"] = new byte[] { 1, 2 },
            }));

        using var reopened = CommonsDatabase.Open(folder);
        var identity = new LiteNodeStore(reopened).Get()!;
        Assert.Equal("atelier", identity.Name);
        Assert.Equal(LocalizedText.Empty, identity.Description);
        Assert.False(identity.FirstRunHidden);
        Assert.Equal(new byte[] { 1, 2 }, identity.TokenSigningKey);
    }

    [Fact]
    public void The_committed_v0_store_reads_with_no_description()
    {
        var folder = _temp.Sub("v0");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Stores", "v0", CommonsDatabase.FileName), Path.Combine(folder, CommonsDatabase.FileName));

        using var db = CommonsDatabase.Open(folder, new StoreMigrations(clock: new ManualClock(At)));
        var identity = new LiteNodeStore(db).Get()!;
        Assert.Equal(("atelier-v0", LocalizedText.Empty, false), (identity.Name, identity.Description, identity.FirstRunHidden));
    }

    [Fact]
    public void The_description_and_the_switch_are_kept_across_a_restart_and_each_change_keeps_the_rest()
    {
        var folder = _temp.Sub("new");
        using (var db = CommonsDatabase.Open(folder))
        {
            var store = new LiteNodeStore(db);
            store.Save(new NodeIdentity { Name = "atelier", CreatedAt = At, TokenSigningKey = [7] });
            var service = new NodeProfileService(store);
            service.Change(Admin, null, new LocalizedText("Un atelier vélo", "Een fietsatelier", null));
            service.HideFirstRun(Admin);
            service.Change(Admin, "Atelier Vélo", null);
        }

        using var reopened = CommonsDatabase.Open(folder);
        var identity = new LiteNodeStore(reopened).Get()!;
        Assert.Equal("Atelier Vélo", identity.Name);
        Assert.Equal(new LocalizedText("Un atelier vélo", "Een fietsatelier", null), identity.Description);
        Assert.True(identity.FirstRunHidden);
        Assert.Equal(new byte[] { 7 }, identity.TokenSigningKey);
        Assert.Equal(At, identity.CreatedAt);
    }

    [Fact]
    public void Only_an_administrator_with_the_admin_scope_changes_the_profile_or_hides_the_checklist()
    {
        using var db = CommonsDatabase.Open(_temp.Sub("rights"));
        var store = new LiteNodeStore(db);
        store.Save(new NodeIdentity { Name = "atelier", CreatedAt = At, TokenSigningKey = [7] });
        var service = new NodeProfileService(store);
        var member = new Caller("lea", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
        var adminWithoutScope = new Caller("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write);

        Assert.Throws<ForbiddenException>(() => service.Change(member, "Mine", null));
        Assert.Throws<ForbiddenException>(() => service.HideFirstRun(member));
        Assert.Throws<ForbiddenException>(() => service.Change(adminWithoutScope, null, new LocalizedText("x", null, null)));
        Assert.Throws<ForbiddenException>(() => service.GetForChange(member));
        var tooLong = Assert.Throws<ValidationException>(() => service.Change(Admin, "", new LocalizedText(null, new string('a', 1001), null)));
        Assert.Equal(["name", "description.nl"], tooLong.Errors.Select(e => e.Path));

        Assert.Equal(new NodeProfile("atelier", LocalizedText.Empty, false), service.Get());
    }

    private static Caller Admin => TestNode.Admin;
}
