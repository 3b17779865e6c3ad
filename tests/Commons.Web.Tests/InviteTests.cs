using System.Net;
using Commons.Core.Members;

namespace Commons.Web.Tests;

/// <summary>Invitations: created on /members and shown once, used once on /invite/{token}, refused when expired, used or revoked.</summary>
public sealed class InviteTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private static KeyValuePair<string, string>[] Join(string username, string password = "a-long-enough-password", string? confirm = null) =>
        [new("Form.Username", username), new("Form.DisplayName", "Jan <b>Janssens</b>"), new("Form.Password", password), new("Form.PasswordConfirm", confirm ?? password)];

    private async Task<string> InviteAsync(Browser admin, string role)
    {
        var created = await admin.SubmitAsync("/members", "invite", [new("InviteForm.Role", role)]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var (_, html) = await admin.GetAsync("/members");
        var link = Browser.InputValue(html, "invite-link");
        Assert.NotNull(link);
        Assert.Contains("readonly", html[html.IndexOf("id=\"invite-link\"", StringComparison.Ordinal)..][..200]);
        Assert.Null(Browser.InputValue((await admin.GetAsync("/members")).Html, "invite-link")); // shown once
        return link[(link.IndexOf("/invite/", StringComparison.Ordinal) + 8)..];
    }

    [Fact]
    public async Task An_invitation_creates_the_member_with_its_role_signs_them_in_and_is_used_up()
    {
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var token = await InviteAsync(admin, "Admin");
        Assert.DoesNotContain(_node.Service<IInvitationStore>().List(), i => i.TokenHash.Contains(token) || i.Id == token);

        using var guest = _node.Browser();
        var (page, html) = await guest.GetAsync($"/invite/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<label for=\"invite-username\">", html);
        var username = _node.Unique("jan");
        var joined = await guest.SubmitAsync($"/invite/{token}", "join", Join(username));
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal("/", Browser.Location(joined));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync("/")).Response.StatusCode);

        var member = _node.Service<IMemberStore>().Find(username)!;
        Assert.Equal(MemberRole.Admin, member.Role);
        Assert.Equal("Jan <b>Janssens</b>", member.DisplayName);
        var (_, list) = await admin.GetAsync("/members");
        Assert.Contains("Jan &lt;b&gt;Janssens&lt;/b&gt;", list); // what a person typed is never markup
        Assert.DoesNotContain("<b>Janssens</b>", list);

        using var late = _node.Browser();
        var (used, usedHtml) = await late.GetAsync($"/invite/{token}");
        Assert.Equal(HttpStatusCode.Gone, used.StatusCode);
        Assert.Contains("This invitation has already been used.", usedHtml);
        Assert.DoesNotContain("id=\"invite-username\"", usedHtml);
    }

    [Fact]
    public async Task Expired_revoked_and_unknown_invitations_get_a_clear_page()
    {
        var expired = _node.StoreInvitation(MemberRole.Member, DateTimeOffset.UtcNow.AddMinutes(-1));
        using var guest = _node.Browser("fr");
        var (gone, goneHtml) = await guest.GetAsync($"/invite/{expired}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("Cette invitation a expiré.", goneHtml);
        var refused = await guest.PostFormAsync($"/invite/{expired}", [new("_handler", "join"), new("__RequestVerificationToken", Browser.Token(goneHtml)), .. Join(_node.Unique("late"))]);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);

        var (unknown, unknownHtml) = await guest.GetAsync("/invite/cninv_0123456789abcdef_not-a-real-secret");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Invitation inconnue", unknownHtml);

        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var token = await InviteAsync(admin, "Member");
        var id = token.Split('_')[1];
        var (_, confirm) = await admin.GetAsync($"/members?revoke={id}");
        Assert.Contains("id=\"revoke-confirm\"", confirm);
        var revoked = await admin.SubmitAsync($"/members?revoke={id}", "revoke", [new("RevokeForm.Id", id)]);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.DoesNotContain($"revoke={id}", (await admin.GetAsync("/members")).Html);
        var (withdrawn, withdrawnHtml) = await guest.GetAsync($"/invite/{token}");
        Assert.Equal(HttpStatusCode.Gone, withdrawn.StatusCode);
        Assert.Contains("Cette invitation a été retirée", withdrawnHtml);
    }

    [Fact]
    public async Task Bad_answers_are_refused_next_to_the_field_and_the_invitation_stays_usable()
    {
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var token = await InviteAsync(admin, "Member");
        var taken = _node.CreateMember();
        using var guest = _node.Browser();
        var page = $"/invite/{token}";

        var mismatched = await guest.SubmitAsync(page, "join", Join(_node.Unique("jan"), confirm: "something-else-entirely"));
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        Assert.Contains("id=\"invite-password-confirm-error\"", await mismatched.Content.ReadAsStringAsync());
        var weak = await guest.SubmitAsync(page, "join", Join(_node.Unique("jan"), password: "short"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("id=\"invite-password-error\"", await weak.Content.ReadAsStringAsync());
        var badName = await guest.SubmitAsync(page, "join", Join("Jan Janssens!"));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("id=\"invite-username-error\"", await badName.Content.ReadAsStringAsync());
        var duplicate = await guest.SubmitAsync(page, "join", Join(taken));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("This username is already taken.", await duplicate.Content.ReadAsStringAsync());
        var forged = await guest.PostFormAsync(page, [new("_handler", "join"), .. Join(_node.Unique("jan"))]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var username = _node.Unique("jan");
        Assert.Equal(HttpStatusCode.Redirect, (await guest.SubmitAsync(page, "join", Join(username))).StatusCode);
        Assert.Equal(MemberRole.Member, _node.Service<IMemberStore>().Find(username)!.Role);
    }
}
