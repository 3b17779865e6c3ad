using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Core.Tests.Access;

/// <summary>The access matrix: who × dataset policy × what they want × the scopes of their credential.</summary>
public class DatasetAccessTests
{
    private const TokenScopes All = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    private const TokenScopes ReadWrite = TokenScopes.Read | TokenScopes.Write;

    private static Dataset DatasetWith(SharingPolicy policy) => new()
    {
        Slug = "offres",
        Title = new LocalizedText("Offres", "Aanbod", "Offers"),
        Schema = DatasetRules.OpenSchema,
        Policy = policy,
        Grants = [new("stella", GrantRole.Steward), new("eddy", GrantRole.Editor), new("vera", GrantRole.Viewer)],
    };

    private static Caller Who(string who, TokenScopes scopes = All) => who switch
    {
        "admin" => new Caller("root", MemberRole.Admin, scopes),
        "steward" => new Caller("stella", MemberRole.Member, scopes),
        "editor" => new Caller("eddy", MemberRole.Member, scopes),
        "viewer" => new Caller("vera", MemberRole.Member, scopes),
        "nogrant" => new Caller("nina", MemberRole.Member, scopes),
        _ => throw new ArgumentException(who),
    };

    /// <summary>Expected level of each kind of member on each policy (a login: every scope).</summary>
    public static TheoryData<string, SharingPolicy, AccessLevel> Levels()
    {
        var data = new TheoryData<string, SharingPolicy, AccessLevel>();
        foreach (var policy in Enum.GetValues<SharingPolicy>())
        {
            data.Add("admin", policy, AccessLevel.Steward);
            data.Add("steward", policy, AccessLevel.Steward);
            data.Add("editor", policy, AccessLevel.Edit);
            data.Add("viewer", policy, AccessLevel.Read);
            data.Add("nogrant", policy, policy == SharingPolicy.Private ? AccessLevel.None : AccessLevel.Read);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Level_of_each_member_on_each_policy(string who, SharingPolicy policy, AccessLevel expected)
    {
        Assert.Equal(expected, DatasetAccess.LevelOf(Who(who), DatasetWith(policy)));
        Assert.Equal(expected >= AccessLevel.Read, DatasetAccess.CanSee(Who(who), DatasetWith(policy)));
    }

    /// <summary>Outcome of <see cref="DatasetAccess.Require"/>: "ok", "404" (hidden) or "403" (visible but not allowed).</summary>
    public static TheoryData<string, SharingPolicy, TokenScopes, AccessLevel, string> Matrix()
    {
        var data = new TheoryData<string, SharingPolicy, TokenScopes, AccessLevel, string>();
        foreach (var policy in Enum.GetValues<SharingPolicy>())
        {
            var priv = policy == SharingPolicy.Private;
            foreach (var needed in new[] { AccessLevel.Read, AccessLevel.Edit, AccessLevel.Steward })
            {
                // a login (every scope)
                data.Add("admin", policy, All, needed, "ok");
                data.Add("steward", policy, All, needed, "ok");
                data.Add("editor", policy, All, needed, needed <= AccessLevel.Edit ? "ok" : "403");
                data.Add("viewer", policy, All, needed, needed == AccessLevel.Read ? "ok" : "403");
                data.Add("nogrant", policy, All, needed, priv ? "404" : needed == AccessLevel.Read ? "ok" : "403");
                // a read-only token: reads what the member may read, never writes
                data.Add("admin", policy, TokenScopes.Read, needed, needed == AccessLevel.Read ? "ok" : "403");
                data.Add("steward", policy, TokenScopes.Read, needed, needed == AccessLevel.Read ? "ok" : "403");
                data.Add("editor", policy, TokenScopes.Read, needed, needed == AccessLevel.Read ? "ok" : "403");
                data.Add("viewer", policy, TokenScopes.Read, needed, needed == AccessLevel.Read ? "ok" : "403");
                data.Add("nogrant", policy, TokenScopes.Read, needed, priv ? "404" : needed == AccessLevel.Read ? "ok" : "403");
                // a read-write token without the admin scope: datasets as with a login (admins are stewards of everything)
                data.Add("admin", policy, ReadWrite, needed, "ok");
                data.Add("editor", policy, ReadWrite, needed, needed <= AccessLevel.Edit ? "ok" : "403");
                // a credential without the read scope sees nothing
                data.Add("steward", policy, TokenScopes.None, needed, "404");
                data.Add("admin", policy, TokenScopes.Write, needed, "404");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Require_answers_ok_forbidden_or_not_found(string who, SharingPolicy policy, TokenScopes scopes, AccessLevel needed, string expected)
    {
        var caller = Who(who, scopes);
        var dataset = DatasetWith(policy);
        var outcome = Outcome(() => DatasetAccess.Require(caller, dataset, needed));
        Assert.Equal(expected, outcome);
    }

    [Fact]
    public void A_hidden_dataset_is_not_found_and_the_message_does_not_say_forbidden()
    {
        var e = Assert.Throws<NotFoundException>(() => DatasetAccess.Require(Who("nogrant"), DatasetWith(SharingPolicy.Private), AccessLevel.Read));
        Assert.DoesNotContain("forbid", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("grant", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_read_only_token_of_a_steward_is_told_about_its_scope()
    {
        var e = Assert.Throws<ForbiddenException>(() => DatasetAccess.Require(Who("steward", TokenScopes.Read), DatasetWith(SharingPolicy.Private), AccessLevel.Edit));
        Assert.Contains("write scope", e.Message);
    }

    [Theory]
    [InlineData("admin", All, "ok")]
    [InlineData("admin", ReadWrite, "403")]
    [InlineData("admin", TokenScopes.Read, "403")]
    [InlineData("steward", All, "403")]
    [InlineData("nogrant", All, "403")]
    public void Node_administration_needs_the_admin_role_and_scope(string who, TokenScopes scopes, string expected)
    {
        Assert.Equal(expected, Outcome(() => DatasetAccess.RequireAdmin(Who(who, scopes))));
    }

    [Fact]
    public void An_admin_without_the_admin_scope_is_told_so()
    {
        var e = Assert.Throws<ForbiddenException>(() => DatasetAccess.RequireAdmin(Who("admin", ReadWrite)));
        Assert.Contains("admin scope", e.Message);
    }

    [Theory]
    [InlineData(TokenScopes.Read, "403")]
    [InlineData(ReadWrite, "ok")]
    [InlineData(All, "ok")]
    public void RequireWrite_follows_the_write_scope(TokenScopes scopes, string expected)
    {
        Assert.Equal(expected, Outcome(() => DatasetAccess.RequireWrite(Who("nogrant", scopes))));
    }

    [Fact]
    public void Grants_are_by_exact_username()
    {
        var dataset = DatasetWith(SharingPolicy.Private);
        Assert.Equal(AccessLevel.None, DatasetAccess.LevelOf(new Caller("Stella", MemberRole.Member, All), dataset));
        Assert.Equal(AccessLevel.None, DatasetAccess.LevelOf(new Caller("stella2", MemberRole.Member, All), dataset));
    }

    private static string Outcome(Action action)
    {
        try { action(); return "ok"; }
        catch (NotFoundException) { return "404"; }
        catch (ForbiddenException) { return "403"; }
    }
}
