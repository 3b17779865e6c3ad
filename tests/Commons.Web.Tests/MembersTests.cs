using System.Net;
using System.Net.Http.Headers;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;

namespace Commons.Web.Tests;

/// <summary>/members and /members/{username}: administrators only; roles, disabling, password resets and grants through the services.</summary>
public sealed class MembersTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task A_member_who_is_not_an_administrator_gets_403_by_url_for_get_and_post()
    {
        var user = _node.CreateMember();
        var target = _node.CreateMember();
        using var browser = await _node.SignedInAsync(user);
        var (_, dashboard) = await browser.GetAsync("/");
        var token = Browser.Token(dashboard);
        var invitationsBefore = _node.Service<IInvitationStore>().List().Count;

        var (list, listHtml) = await browser.GetAsync("/members");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\" id=\"forbidden\">Only an administrator may manage members.</p>", listHtml);
        // As the page would show the name (a short name like "m8" can occur inside the form's random token).
        Assert.DoesNotContain($"/members/{target}\"", listHtml);
        Assert.DoesNotContain($">{target}<", listHtml);
        Assert.DoesNotContain("id=\"invite-role\"", listHtml);
        var (detail, detailHtml) = await browser.GetAsync($"/members/{target}");
        Assert.Equal(HttpStatusCode.Forbidden, detail.StatusCode);
        Assert.DoesNotContain("id=\"member-role\"", detailHtml);

        var invite = await browser.PostFormAsync("/members", [new("_handler", "invite"), new("__RequestVerificationToken", token), new("InviteForm.Role", "Admin")]);
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        var promote = await browser.PostFormAsync($"/members/{user}", [new("_handler", "role"), new("__RequestVerificationToken", token), new("RoleForm.Role", "Admin")]);
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        var disable = await browser.PostFormAsync($"/members/{target}?confirm=disable", [new("_handler", "disable"), new("__RequestVerificationToken", token)]);
        Assert.Equal(HttpStatusCode.Forbidden, disable.StatusCode);

        Assert.Equal(invitationsBefore, _node.Service<IInvitationStore>().List().Count);
        Assert.Equal(MemberRole.Member, _node.Service<IMemberStore>().Find(user)!.Role);
        Assert.False(_node.Service<IMemberStore>().Find(target)!.Disabled);
    }

    [Fact]
    public async Task The_list_shows_members_and_an_unknown_member_is_404()
    {
        var user = _node.CreateMember();
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (list, html) = await admin.GetAsync("/members");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains($"<a href=\"/members/{user}\">{user}</a>", html);
        Assert.Contains("<label for=\"invite-role\">", html);
        Assert.Contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\"", html);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/members/nobody-here")).Response.StatusCode);
    }

    [Fact]
    public async Task Disabling_after_confirmation_ends_the_members_session_and_tokens_and_enabling_lets_them_back()
    {
        var user = _node.CreateMember();
        using var member = await _node.SignedInAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/")).Response.StatusCode);
        var (_, secret) = _node.Service<AccessTokenService>().Create(UiNode.Admin, user, "script", TokenScopes.Read, null);
        using var api = new HttpClient { BaseAddress = _node.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/me")).StatusCode);

        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, page) = await admin.GetAsync($"/members/{user}");
        Assert.DoesNotContain("id=\"disable-confirm\"", page); // a link to a confirmation step, not a button that disables
        Assert.Contains("id=\"disable-link\"", page);
        var (_, confirm) = await admin.GetAsync($"/members/{user}?confirm=disable");
        Assert.Contains("id=\"disable-confirm\"", confirm);
        var disabled = await admin.SubmitAsync($"/members/{user}?confirm=disable", "disable", []);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal($"/members/{user}?done=disabled", Browser.Location(disabled));
        Assert.True(_node.Service<IMemberStore>().Find(user)!.Disabled);

        var (next, _) = await member.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/signin", Browser.Location(next));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.SignInAsync(user, UiNode.MemberPassword)).StatusCode);

        var enabled = await admin.SubmitAsync($"/members/{user}", "enable", []);
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(user, UiNode.MemberPassword)).StatusCode);
    }

    [Fact]
    public async Task Role_reset_password_and_grants_go_through_the_services()
    {
        var user = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Private, "Shared rooms");
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var self = $"/members/{user}";

        var promoted = await admin.SubmitAsync(self, "role", [new("RoleForm.Role", "Admin")]);
        Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        Assert.Equal(MemberRole.Admin, _node.Service<IMemberStore>().Find(user)!.Role);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(self, "role", [new("RoleForm.Role", "Member")])).StatusCode);
        Assert.Equal(MemberRole.Member, _node.Service<IMemberStore>().Find(user)!.Role);
        var badRole = await admin.SubmitAsync(self, "role", [new("RoleForm.Role", "Emperor")]);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);

        var granted = await admin.SubmitAsync(self, "grant", [new("GrantForm.Dataset", slug), new("GrantForm.Role", "Editor")]);
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        Assert.Equal(GrantRole.Editor, _node.Service<DatasetService>().Get(UiNode.Admin, slug).GrantOf(user));
        var (_, withGrant) = await admin.GetAsync(self);
        Assert.Contains("Shared rooms", withGrant[withGrant.IndexOf("id=\"grants\"", StringComparison.Ordinal)..]);
        var (_, confirmRemove) = await admin.GetAsync($"{self}?remove={slug}");
        Assert.Contains("id=\"ungrant-confirm\"", confirmRemove);
        var removed = await admin.SubmitAsync($"{self}?remove={slug}", "ungrant", [new("UngrantForm.Dataset", slug)]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null(_node.Service<DatasetService>().Get(UiNode.Admin, slug).GrantOf(user));

        var reset = await admin.SubmitAsync($"{self}?confirm=reset", "reset", []);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        var (_, shown) = await admin.GetAsync(self);
        var generated = Browser.InputValue(shown, "generated-password");
        Assert.NotNull(generated);
        Assert.Matches("^[A-Za-z0-9]{20}$", generated);
        var (_, shownAgain) = await admin.GetAsync(self);
        Assert.DoesNotContain(generated, shownAgain); // shown once
        using var member = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(user, generated)).StatusCode);
        Assert.True(_node.Service<IMemberStore>().Find(user)!.MustChangePassword);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("disable")]
    [InlineData("reset")]
    public async Task Member_forms_without_the_antiforgery_token_are_refused(string form)
    {
        var user = _node.CreateMember();
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var stamp = _node.Service<IMemberStore>().Find(user)!.SecurityStamp;
        var response = await admin.PostFormAsync($"/members/{user}?confirm={form}", [new("_handler", form), new("RoleForm.Role", "Admin")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var after = _node.Service<IMemberStore>().Find(user)!;
        Assert.Equal(stamp, after.SecurityStamp);
        Assert.False(after.Disabled);
        Assert.Equal(MemberRole.Member, after.Role);
    }
}

/// <summary>The last enabled administrator stays: a node of its own, with one administrator.</summary>
public sealed class MemberLastAdminTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    public Task InitializeAsync() { _ = _node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_last_administrator_can_neither_be_disabled_nor_demoted()
    {
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var demote = await admin.SubmitAsync("/members/admin", "role", [new("RoleForm.Role", "Member")]);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("The last active administrator cannot be disabled or demoted.", await demote.Content.ReadAsStringAsync());
        var disable = await admin.SubmitAsync("/members/admin?confirm=disable", "disable", []);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);

        var me = _node.Service<IMemberStore>().Find("admin")!;
        Assert.Equal(MemberRole.Admin, me.Role);
        Assert.False(me.Disabled);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/members")).Response.StatusCode);

        // With a second administrator, the first may step down.
        var second = _node.CreateMember(MemberRole.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/members/admin", "role", [new("RoleForm.Role", "Member")])).StatusCode);
        Assert.Equal(MemberRole.Member, _node.Service<IMemberStore>().Find("admin")!.Role);
        using var other = await _node.SignedInAsync(second);
        Assert.Equal(HttpStatusCode.Conflict, (await other.SubmitAsync($"/members/{second}?confirm=disable", "disable", [])).StatusCode);
    }
}
