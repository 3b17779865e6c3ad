using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage.Tests.Support;

namespace Commons.Storage.Tests;

/// <summary>
/// <see cref="MemberService"/> decides who may manage accounts, on a real store: an administrator with the admin scope
/// manages every account; a member reads and changes only their own; a read-only token changes nothing. A refusal
/// comes before the account is looked up (a member learns nothing about other usernames) and changes nothing.
/// </summary>
public sealed class MemberServiceAccessTests : IDisposable
{
    private readonly TestNode _node = new();
    private readonly Caller _admin;
    private readonly Caller _member;

    public MemberServiceAccessTests()
    {
        _admin = _node.AddMember("boss", MemberRole.Admin);
        _member = _node.AddMember("mia");
        _node.AddMember("target");
    }

    public void Dispose() => _node.Dispose();

    private static readonly (string Name, Action<MemberService, Caller> Call)[] AdminOperations =
    [
        ("list", (s, c) => s.List(c)),
        ("get another member", (s, c) => s.Get(c, "target")),
        ("get a member who does not exist", (s, c) => s.Get(c, "nobody")),
        ("add", (s, c) => s.Add(c, "newcomer", null, "correct horse battery", MemberRole.Member)),
        ("change a role", (s, c) => s.Update(c, "target", null, MemberRole.Admin, null)),
        ("disable", (s, c) => s.Update(c, "target", null, null, true)),
        ("rename another member", (s, c) => s.Update(c, "target", "Someone else", null, null)),
        ("reset a password", (s, c) => s.ResetPassword(c, "target", "another horse battery", mustChange: true)),
        ("promote oneself", (s, c) => s.Update(c, c.Username, null, MemberRole.Admin, null)),
    ];

    public static TheoryData<string> AdminOperationNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in AdminOperations) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(AdminOperationNames))]
    public void Only_an_administrator_with_the_admin_scope_manages_accounts(string operation)
    {
        var call = AdminOperations.Single(o => o.Name == operation).Call;
        var before = Snapshot();
        var adminWithoutAdminScope = _admin with { Scopes = TokenScopes.Read | TokenScopes.Write };
        var adminReadOnly = _admin with { Scopes = TokenScopes.Read };
        foreach (var caller in new[] { _member, _member with { Scopes = TokenScopes.Read }, adminWithoutAdminScope, adminReadOnly })
            Assert.Throws<ForbiddenException>(() => call(_node.Members, caller));
        Assert.False(MemberService.MayManage(adminWithoutAdminScope));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_member_reads_and_changes_their_own_account_but_a_read_only_token_changes_nothing()
    {
        Assert.Equal("mia", _node.Members.Get(_member, "mia").Username);
        Assert.Equal("Mia M.", _node.Members.Update(_member, "mia", "Mia M.", null, null).DisplayName);
        _node.Members.ChangeOwnPassword(_member, "correct horse battery", "a brand new horse battery");

        var readOnly = _member with { Scopes = TokenScopes.Read };
        var before = Snapshot();
        Assert.Equal("mia", _node.Members.Get(readOnly, "mia").Username); // reading is allowed
        Assert.Throws<ForbiddenException>(() => _node.Members.Update(readOnly, "mia", "Someone", null, null));
        Assert.Throws<ForbiddenException>(() => _node.Members.ChangeOwnPassword(readOnly, "a brand new horse battery", "yet another horse battery"));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void An_administrator_manages_accounts_and_a_member_who_does_not_exist_is_not_found()
    {
        Assert.True(MemberService.MayManage(_admin));
        Assert.Equal(["boss", "mia", "target"], _node.Members.List(_admin).Select(m => m.Username));
        Assert.Throws<NotFoundException>(() => _node.Members.Get(_admin, "nobody"));
        Assert.Throws<NotFoundException>(() => _node.Members.ResetPassword(_admin, "nobody", "another horse battery", mustChange: true));
        Assert.Equal(MemberRole.Admin, _node.Members.Update(_admin, "target", null, MemberRole.Admin, null).Role);
        Assert.True(_node.Members.ResetPassword(_admin, "target", "another horse battery", mustChange: true).MustChangePassword);
        Assert.Equal("newcomer", _node.Members.Add(_admin, "newcomer", null, "correct horse battery", MemberRole.Member).Username);
    }

    private string Snapshot() => string.Join("|", _node.MemberStore.List().OrderBy(m => m.Username, StringComparer.Ordinal)
        .Select(m => $"{m.Username}:{m.Role}:{m.Disabled}:{m.DisplayName}:{m.PasswordHash}:{m.SecurityStamp}"));
}
