using System.Net;
using Commons.Node.Http;
using Commons.Core.Members;

namespace Commons.Web.Tests;

/// <summary>/account: display name, language preference (which follows the member to any browser), password change.</summary>
public sealed class AccountTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private static KeyValuePair<string, string>[] PasswordFields(string current, string next, string? confirm = null) =>
        [new("Password.Current", current), new("Password.New", next), new("Password.Confirm", confirm ?? next)];

    [Fact]
    public async Task A_member_sets_dutch_and_gets_dutch_in_a_fresh_french_browser()
    {
        var user = _node.CreateMember();
        using (var first = await _node.SignedInAsync(user))
        {
            var (_, page) = await first.GetAsync("/account");
            Assert.Contains("<label for=\"preferred-language\">", page);
            var saved = await first.SubmitAsync("/account", "profile", [new("Profile.DisplayName", "Léa Peeters"), new("Profile.Language", "nl")]);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal("/account?saved=profile", Browser.Location(saved));
        }
        var member = _node.Service<IMemberStore>().Find(user)!;
        Assert.Equal("nl", member.PreferredLanguage);
        Assert.Equal("Léa Peeters", member.DisplayName);

        using var fresh = _node.Browser("fr-BE,fr;q=0.9");
        var (_, signin) = await fresh.GetAsync("/signin");
        Assert.Contains("<h1>Se connecter</h1>", signin); // not signed in yet: the browser's language
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync(user, UiNode.MemberPassword)).StatusCode);
        var (_, dashboard) = await fresh.GetAsync("/");
        Assert.Contains("<html lang=\"nl\">", dashboard);
        Assert.Contains("<h1>Overzicht</h1>", dashboard);
        var (_, account) = await fresh.GetAsync("/account");
        Assert.Contains("<h1>Mijn account</h1>", account);
        Assert.Contains("value=\"Léa Peeters\"", account);
    }

    [Fact]
    public async Task The_header_switcher_saves_the_preference_of_a_signed_in_member()
    {
        var user = _node.CreateMember();
        using var browser = await _node.SignedInAsync(user);
        var (_, page) = await browser.GetAsync("/");
        var switched = await browser.PostFormAsync("/ui/language",
            [new("__RequestVerificationToken", Browser.Token(page)), new("lang", "fr"), new("returnUrl", "/")]);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("fr", _node.Service<IMemberStore>().Find(user)!.PreferredLanguage);

        // A browser that says Dutch in its cookie still gets the member's French once signed in.
        using var other = _node.Browser("nl");
        other.Cookies.Add(_node.Address, new Cookie(other.CookieName(CookieNames.Language), "nl"));
        await other.SignInAsync(user, UiNode.MemberPassword);
        Assert.Contains("<h1>Tableau de bord</h1>", (await other.GetAsync("/")).Html);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_ends_the_others()
    {
        var user = _node.CreateMember();
        using var here = await _node.SignedInAsync(user);
        using var elsewhere = await _node.SignedInAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/")).Response.StatusCode);

        var changed = await here.SubmitAsync("/account", "password", PasswordFields(UiNode.MemberPassword, "a-brand-new-password"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/account?saved=password", Browser.Location(changed));

        var (after, html) = await here.GetAsync("/account?saved=password");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("id=\"account-saved\"", html);
        var (other, _) = await elsewhere.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.StartsWith("/signin", Browser.Location(other));

        using var fresh = _node.Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SignInAsync(user, UiNode.MemberPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync(user, "a-brand-new-password")).StatusCode);
    }

    [Theory]
    [InlineData("not-the-password", "a-brand-new-password", null, "current-password", "The current password is wrong.")]
    [InlineData(UiNode.MemberPassword, "a-brand-new-password", "a-different-password", "new-password-confirm", "The two passwords are not the same.")]
    [InlineData(UiNode.MemberPassword, "short", null, "new-password", "At least 10 characters.")]
    public async Task A_refused_password_change_says_why_next_to_the_field_and_changes_nothing(string current, string next, string? confirm, string field, string message)
    {
        var user = _node.CreateMember();
        using var browser = await _node.SignedInAsync(user);
        var stamp = _node.Service<IMemberStore>().Find(user)!.SecurityStamp;

        var response = await browser.SubmitAsync("/account", "password", PasswordFields(current, next, confirm));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<p class=\"field-error\" id=\"{field}-error\">{message}</p>", html);
        Assert.Contains("role=\"alert\"", html);
        Assert.Equal(stamp, _node.Service<IMemberStore>().Find(user)!.SecurityStamp);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task A_bad_display_name_or_language_is_refused_and_nothing_is_saved()
    {
        var user = _node.CreateMember();
        using var browser = await _node.SignedInAsync(user);
        var empty = await browser.SubmitAsync("/account", "profile", [new("Profile.DisplayName", "   "), new("Profile.Language", "fr")]);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("id=\"display-name-error\"", await empty.Content.ReadAsStringAsync());
        var klingon = await browser.SubmitAsync("/account", "profile", [new("Profile.DisplayName", "Léa"), new("Profile.Language", "tlh")]);
        Assert.Equal(HttpStatusCode.BadRequest, klingon.StatusCode);
        var member = _node.Service<IMemberStore>().Find(user)!;
        Assert.Equal(user, member.DisplayName);
        Assert.Null(member.PreferredLanguage);
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("password")]
    public async Task Account_forms_without_the_antiforgery_token_are_refused(string form)
    {
        var user = _node.CreateMember();
        using var browser = await _node.SignedInAsync(user);
        var response = await browser.PostFormAsync("/account",
            [new("_handler", form), new("Profile.DisplayName", "Forged"), .. PasswordFields(UiNode.MemberPassword, "a-forged-password-1")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var member = _node.Service<IMemberStore>().Find(user)!;
        Assert.Equal(user, member.DisplayName);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Response.StatusCode); // password unchanged, still signed in
    }
}
