using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage.Tests.Support;

namespace Commons.Storage.Tests;

/// <summary>
/// <see cref="AccessTokenService"/> decides who may create, list and revoke tokens, on a real store: one's own, or
/// anyone's for an administrator with the admin scope; a read-only token creates and revokes nothing; a token never
/// gets a scope the credential creating it lacks. Someone else's token does not exist for a member.
/// </summary>
public sealed class AccessTokenServiceAccessTests : IDisposable
{
    private readonly TestNode _node = new();
    private readonly AccessTokenService _tokens;
    private readonly Caller _admin;
    private readonly Caller _member;

    public AccessTokenServiceAccessTests()
    {
        _tokens = new AccessTokenService(_node.TokenStore, _node.MemberStore, _node.Clock);
        _admin = _node.AddMember("boss", MemberRole.Admin);
        _member = _node.AddMember("mia");
    }

    public void Dispose() => _node.Dispose();

    [Fact]
    public void A_read_only_token_creates_and_revokes_nothing()
    {
        var (own, _) = _tokens.Create(_member, "mia", "script", TokenScopes.Read, null);
        var readOnly = _member with { Scopes = TokenScopes.Read };
        Assert.Throws<ForbiddenException>(() => _tokens.Create(readOnly, "mia", "another", TokenScopes.Read, null));
        Assert.Throws<ForbiddenException>(() => _tokens.Revoke(readOnly, own.Id));
        Assert.Single(_tokens.List(readOnly, all: false)); // reading one's own is allowed
        Assert.Null(_node.TokenStore.Find(own.Id)!.RevokedAt);
    }

    [Fact]
    public void A_member_makes_tokens_only_for_themself_and_never_with_more_than_their_credential()
    {
        Assert.Throws<ForbiddenException>(() => _tokens.Create(_member, "boss", "for the boss", TokenScopes.Read, null));
        var limited = _member with { Scopes = TokenScopes.Read | TokenScopes.Write };
        Assert.Equal("scopes", Assert.Throws<ValidationException>(() => _tokens.Create(limited, "mia", "wider", TokenScopes.Admin, null)).Errors[0].Path);
        Assert.Equal("scopes", Assert.Throws<ValidationException>(() => _tokens.Create(_member, "mia", "admin", TokenScopes.Admin, null)).Errors[0].Path);
        Assert.Throws<ForbiddenException>(() => _tokens.List(_member, all: true));
        Assert.Empty(_node.TokenStore.ListFor("boss"));
        Assert.Empty(_node.TokenStore.ListFor("mia"));
    }

    [Fact]
    public void Someone_elses_token_does_not_exist_for_a_member_and_an_administrator_revokes_anyones()
    {
        var (bosses, _) = _tokens.Create(_admin, "boss", "ops", TokenScopes.Admin, null);
        var (mias, _) = _tokens.Create(_admin, "mia", "made by an administrator", TokenScopes.Read, null);
        Assert.Throws<NotFoundException>(() => _tokens.Revoke(_member, bosses.Id));
        Assert.Null(_node.TokenStore.Find(bosses.Id)!.RevokedAt);

        // Without the admin scope an administrator's token is a member's: someone else's token is not there.
        Assert.Throws<NotFoundException>(() => _tokens.Revoke(_admin with { Scopes = TokenScopes.Read | TokenScopes.Write }, mias.Id));
        Assert.Null(_node.TokenStore.Find(mias.Id)!.RevokedAt);
        Assert.NotNull(_tokens.Revoke(_admin, mias.Id).RevokedAt);
        Assert.Equal(2, _tokens.List(_admin, all: true).Count);
    }
}
