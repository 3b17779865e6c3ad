using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Invitations over a real store: hash only, seven days, single use (also under a race), revocable, and kept by backups and the check.</summary>
public sealed class InvitationServiceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TestNode _node;
    private LiteInvitationStore _store = null!;
    private InvitationService _invitations = null!;

    public InvitationServiceTests()
    {
        _node = new TestNode(_temp.Sub("data"));
        _node.AddMember("root", MemberRole.Admin);
        Wire();
    }

    private void Wire()
    {
        _store = new LiteInvitationStore(_node.Database);
        _invitations = new InvitationService(_store, _node.MemberStore, _node.Members, _node.Clock);
    }

    public void Dispose()
    {
        _node.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Only_the_hash_is_stored_and_the_token_works_once_with_the_invited_role()
    {
        var (invitation, token) = _invitations.Create(Admin, MemberRole.Admin);
        Assert.StartsWith("cninv_", token);
        Assert.Equal(_node.Clock.GetUtcNow().AddDays(7), invitation.ExpiresAt);
        var stored = _node.Database.Raw().GetCollection(LiteInvitationStore.Collection).FindById(invitation.Id).ToString();
        Assert.DoesNotContain(token.Split('_')[2], stored);

        var member = _invitations.Accept(token, "Lea", "Léa", "correct horse battery");
        Assert.Equal("lea", member.Username);
        Assert.Equal(MemberRole.Admin, member.Role);
        Assert.Equal(InvitationState.Used, _invitations.Look(token)!.Value.State);
        var again = Assert.Throws<InvitationClosedException>(() => _invitations.Accept(token, "other", null, "correct horse battery"));
        Assert.Equal(InvitationState.Used, again.State);
        Assert.Null(_node.MemberStore.Find("other"));
        Assert.Empty(_invitations.ListOpen(Admin));
    }

    [Fact]
    public void An_invitation_expires_after_seven_days_and_a_revoked_one_opens_nothing()
    {
        var (_, token) = _invitations.Create(Admin, MemberRole.Member);
        _node.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(InvitationState.Expired, _invitations.Look(token)!.Value.State);
        Assert.Throws<InvitationClosedException>(() => _invitations.Accept(token, "late", null, "correct horse battery"));

        var (revokable, second) = _invitations.Create(Admin, MemberRole.Member);
        Assert.Single(_invitations.ListOpen(Admin));
        _invitations.Revoke(Admin, revokable.Id);
        Assert.Equal(InvitationState.Revoked, _invitations.Look(second)!.Value.State);
        Assert.Throws<InvitationClosedException>(() => _invitations.Accept(second, "late", null, "correct horse battery"));
        Assert.Null(_node.MemberStore.Find("late"));

        Assert.Null(_invitations.Look("cninv_0123456789abcdef_guess"));
        Assert.Null(_invitations.Look(second[..^1] + (second[^1] == 'a' ? 'b' : 'a'))); // one character off
        Assert.Throws<NotFoundException>(() => _invitations.Revoke(Admin, "0123456789abcdef"));
    }

    [Fact]
    public void Only_administrators_invite_list_or_revoke()
    {
        var member = _node.AddMember("stella");
        var (invitation, _) = _invitations.Create(Admin, MemberRole.Member);
        Assert.Throws<ForbiddenException>(() => _invitations.Create(member, MemberRole.Admin));
        Assert.Throws<ForbiddenException>(() => _invitations.ListOpen(member));
        Assert.Throws<ForbiddenException>(() => _invitations.Revoke(member, invitation.Id));
        var readOnlyAdmin = Admin with { Scopes = Commons.Core.Tokens.TokenScopes.Read };
        Assert.Throws<ForbiddenException>(() => _invitations.Create(readOnlyAdmin, MemberRole.Member));
    }

    [Fact]
    public void A_refused_answer_leaves_the_invitation_usable()
    {
        _node.AddMember("taken");
        var (_, token) = _invitations.Create(Admin, MemberRole.Member);
        Assert.Throws<ValidationException>(() => _invitations.Accept(token, "Not Valid!", null, "correct horse battery"));
        Assert.Throws<ValidationException>(() => _invitations.Accept(token, "jan", null, "short"));
        Assert.Throws<ConflictException>(() => _invitations.Accept(token, "taken", null, "correct horse battery"));
        Assert.Throws<ValidationException>(() => _invitations.Accept(token, "jan", new string('x', 101), "correct horse battery"));
        Assert.Equal(InvitationState.Open, _invitations.Look(token)!.Value.State);
        Assert.Equal("jan", _invitations.Accept(token, "jan", null, "correct horse battery").Username);
    }

    [Fact]
    public void Two_people_racing_on_one_link_make_one_member()
    {
        var (_, token) = _invitations.Create(Admin, MemberRole.Member);
        var made = 0;
        Threads.Run(8, i =>
        {
            try
            {
                _invitations.Accept(token, $"racer{i}", null, "correct horse battery");
                Interlocked.Increment(ref made);
            }
            catch (InvitationClosedException) { }
        });
        Assert.Equal(1, made);
        Assert.Single(_node.MemberStore.List(), m => m.Username.StartsWith("racer", StringComparison.Ordinal));
    }

    [Fact]
    public void Invitations_survive_a_backup_and_restore_and_the_check_reads_them()
    {
        var (open, token) = _invitations.Create(Admin, MemberRole.Admin);
        var (_, used) = _invitations.Create(Admin, MemberRole.Member);
        _invitations.Accept(used, "jan", null, "correct horse battery");
        Assert.True(StoreChecker.Run(_node.Database).Ok);

        var file = _temp.Sub("invitations.bak");
        Backup.Write(_node.Database, file, "atelier", _node.Clock.GetUtcNow());
        var restoredDir = _temp.Sub("restored");
        Backup.Restore(file, restoredDir, replaceExisting: false, _node.Clock.GetUtcNow());
        using var restored = new TestNode(restoredDir, _node.Clock);
        var store = new LiteInvitationStore(restored.Database);
        Assert.Equal(2, store.List().Count);
        var again = new InvitationService(store, restored.MemberStore, restored.Members, restored.Clock);
        Assert.Equal(InvitationState.Open, again.Look(token)!.Value.State);
        Assert.Equal(InvitationState.Used, again.Look(used)!.Value.State);
        Assert.True(StoreChecker.Run(restored.Database).Ok);

        // A damaged invitation, or one used by someone who is no member, is a problem the check names.
        var col = restored.Database.Raw().GetCollection(LiteInvitationStore.Collection);
        var doc = col.FindById(open.Id);
        doc["hash"] = "short";
        col.Update(doc);
        var report = StoreChecker.Run(restored.Database);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains($"invitation {open.Id} is damaged", StringComparison.Ordinal));
    }
}

/// <summary>MemberService keeps one enabled administrator, whoever asks, and saves a member's language.</summary>
public sealed class MemberServiceRulesTests : IDisposable
{
    private readonly TestNode _node = new();
    public void Dispose() => _node.Dispose();

    [Fact]
    public void The_last_enabled_administrator_can_be_neither_disabled_nor_demoted()
    {
        var root = _node.AddMember("boss", MemberRole.Admin);
        Assert.Throws<ConflictException>(() => _node.Members.Update(root, "boss", null, MemberRole.Member, null));
        Assert.Throws<ConflictException>(() => _node.Members.Update(root, "boss", null, null, true));
        Assert.Throws<ConflictException>(() => _node.Members.Update(Admin, "boss", null, null, true)); // another caller (the CLI) too

        var second = _node.AddMember("second", MemberRole.Admin);
        _node.Members.Update(second, "second", null, null, true);
        Assert.Throws<ConflictException>(() => _node.Members.Update(root, "boss", null, MemberRole.Member, null)); // the other is disabled
        _node.Members.Update(root, "second", null, null, false);
        Assert.Equal(MemberRole.Member, _node.Members.Update(root, "boss", null, MemberRole.Member, null).Role);
    }

    [Theory]
    [InlineData("nl", "nl")]
    [InlineData("fr-BE", "fr-BE")]
    [InlineData("", null)]
    public void A_language_preference_is_a_language_tag_or_nothing(string given, string? kept)
    {
        _node.AddMember("lea");
        Assert.Equal(kept, _node.Members.SetPreferredLanguage("lea", given).PreferredLanguage);
        Assert.Equal(kept, _node.MemberStore.Find("lea")!.PreferredLanguage);
    }

    [Theory]
    [InlineData("Dutch")]
    [InlineData("nl; drop")]
    [InlineData("x")]
    public void A_wrong_language_tag_is_refused(string given)
    {
        _node.AddMember("lea");
        _node.Members.SetPreferredLanguage("lea", "fr");
        var e = Assert.Throws<ValidationException>(() => _node.Members.SetPreferredLanguage("lea", given));
        Assert.Equal("preferredLanguage", e.Errors[0].Path);
        Assert.Equal("fr", _node.MemberStore.Find("lea")!.PreferredLanguage);
    }
}
