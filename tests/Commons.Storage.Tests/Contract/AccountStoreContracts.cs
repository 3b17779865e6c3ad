using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Tokens;
using static Commons.Storage.Tests.Contract.Samples;

namespace Commons.Storage.Tests.Contract;

/// <summary>The node's identity: absent until saved, then kept whole across a restart.</summary>
public abstract class NodeStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private INodeStore Store => Backend.Get<INodeStore>();

    [Fact]
    public void The_identity_is_absent_until_saved_then_kept_across_a_restart()
    {
        Assert.Null(Store.Get());
        Store.Save(new NodeIdentity { Name = "atelier", CreatedAt = At, TokenSigningKey = [9, 8, 7] });
        Store.Save(new NodeIdentity { Name = "atelier-2", CreatedAt = At, TokenSigningKey = [1] });
        Backend.Reopen();
        var got = Store.Get()!;
        Assert.Equal(("atelier-2", At), (got.Name, got.CreatedAt));
        Assert.Equal(new byte[] { 1 }, got.TokenSigningKey);
    }
}

/// <summary>Members: unique usernames, updates of existing ones only, every field kept.</summary>
public abstract class MemberStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IMemberStore Store => Backend.Get<IMemberStore>();

    [Fact]
    public void A_member_is_kept_whole_and_found_by_username()
    {
        var ana = Member("ana", MemberRole.Admin);
        Store.Add(ana);
        Store.Add(Member("bob"));
        Backend.Reopen();
        Assert.Equal(ana, Store.Find("ana"));
        Assert.Null(Store.Find("ANA"));
        Assert.Equal(2, Store.Count());
        Assert.Equal(["ana", "bob"], Store.List().Select(m => m.Username).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_taken_username_is_a_conflict_and_an_unknown_member_cannot_be_updated()
    {
        Store.Add(Member("ana"));
        Assert.Throws<ConflictException>(() => Store.Add(Member("ana") with { DisplayName = "other" }));
        Assert.Throws<NotFoundException>(() => Store.Update(Member("zoe")));
        Assert.Equal("ana (display)", Store.Find("ana")!.DisplayName);
        Assert.Equal(1, Store.Count());
    }

    [Fact]
    public void An_update_replaces_the_member()
    {
        Store.Add(Member("ana"));
        Store.Update(Member("ana") with { Disabled = true, SecurityStamp = "new", PreferredLanguage = null });
        Assert.Equal((true, "new", (string?)null), (Store.Find("ana")!.Disabled, Store.Find("ana")!.SecurityStamp, Store.Find("ana")!.PreferredLanguage));
    }
}

/// <summary>Access tokens by id and by member; refresh tokens used at most once, revoked per member.</summary>
public abstract class TokenStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private ITokenStore Store => Backend.Get<ITokenStore>();

    [Fact]
    public void Access_tokens_are_kept_whole_listed_per_member_and_updated()
    {
        Store.Add(Token("t1", "ana"));
        Store.Add(Token("t2", "ana") with { ExpiresAt = null });
        Store.Add(Token("t3", "bob"));
        Store.Update(Token("t1", "ana") with { RevokedAt = At.AddHours(1), LastUsedAt = At.AddMinutes(5) });
        Backend.Reopen();
        Assert.Equal(Token("t1", "ana") with { RevokedAt = At.AddHours(1), LastUsedAt = At.AddMinutes(5) }, Store.Find("t1"));
        Assert.Null(Store.Find("t2")!.ExpiresAt);
        Assert.Equal(["t1", "t2"], Store.ListFor("ana").Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Empty(Store.ListFor("zoe"));
        Assert.Equal(3, Store.ListAll().Count);
        Assert.Null(Store.Find("t9"));
    }

    [Fact]
    public void A_refresh_token_is_used_once_and_revoked_with_its_members_others()
    {
        Store.AddRefresh(Refresh("r1", "ana"));
        Store.AddRefresh(Refresh("r2", "ana"));
        Store.AddRefresh(Refresh("r3", "bob"));
        Assert.True(Store.TryUseRefresh("r1", At));
        Assert.False(Store.TryUseRefresh("r1", At.AddSeconds(1)));
        Assert.False(Store.TryUseRefresh("nope", At));
        Assert.Equal(At, Store.FindRefresh("r1")!.UsedAt);
        Store.RevokeRefreshTokensOf("ana");
        Assert.Null(Store.FindRefresh("r2"));
        Assert.NotNull(Store.FindRefresh("r3"));
    }

    [Fact]
    public void Of_many_concurrent_uses_of_one_refresh_token_exactly_one_succeeds()
    {
        Store.AddRefresh(Refresh("r1", "ana"));
        var wins = 0;
        Support.Threads.Run(8, _ => { if (Store.TryUseRefresh("r1", At)) Interlocked.Increment(ref wins); });
        Assert.Equal(1, wins);
    }
}

/// <summary>Invitations: kept whole, consumed at most once while open, released again.</summary>
public abstract class InvitationStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IInvitationStore Store => Backend.Get<IInvitationStore>();

    [Fact]
    public void An_invitation_is_consumed_once_while_open_and_can_be_released()
    {
        Store.Add(Invitation("i1"));
        Assert.Equal(Invitation("i1"), Store.Find("i1"));
        Assert.False(Store.TryConsume("i1", "ana", At.AddDays(8))); // expired
        Assert.True(Store.TryConsume("i1", "ana", At.AddHours(1)));
        Assert.False(Store.TryConsume("i1", "bob", At.AddHours(2)));
        Assert.Equal(("ana", (DateTimeOffset?)At.AddHours(1)), (Store.Find("i1")!.UsedBy, Store.Find("i1")!.UsedAt));
        Store.Release("i1");
        Assert.Null(Store.Find("i1")!.UsedBy);
        Assert.False(Store.TryConsume("missing", "ana", At));
    }

    [Fact]
    public void A_revoked_invitation_cannot_be_consumed_and_the_list_holds_every_invitation()
    {
        Store.Add(Invitation("i1"));
        Store.Add(Invitation("i2"));
        Store.Update(Invitation("i1") with { RevokedAt = At });
        Backend.Reopen();
        Assert.False(Store.TryConsume("i1", "ana", At.AddHours(1)));
        Assert.Equal(["i1", "i2"], Store.List().Select(i => i.Id).Order(StringComparer.Ordinal));
    }
}

/// <summary>The runtime domain rules: empty until saved, then kept whole (a null allow-list-only stays null).</summary>
public abstract class DomainRuleStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IDomainRuleStore Store => Backend.Get<IDomainRuleStore>();

    private static readonly DomainRuleSettings Rules = new()
    {
        AllowListOnly = true, Blocked = ["xn--bcher-kva.example", "198.51.100.7"], Allowed = ["friends.example"], UpdatedAt = At, UpdatedBy = "root",
    };

    [Fact]
    public void Nothing_stored_reads_as_empty_and_a_save_survives_a_restart()
    {
        Assert.Same(DomainRuleSettings.Empty, Store.Get());

        Store.Save(Rules);
        Backend.Reopen();

        var read = Store.Get();
        Assert.Equal((true, "root", (DateTimeOffset?)At), (read.AllowListOnly, read.UpdatedBy, read.UpdatedAt));
        Assert.Equal(Rules.Blocked, read.Blocked);
        Assert.Equal(Rules.Allowed, read.Allowed);

        Store.Save(read with { AllowListOnly = null });
        Assert.Null(Store.Get().AllowListOnly);
    }
}
