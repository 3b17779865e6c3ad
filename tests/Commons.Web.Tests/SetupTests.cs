using System.Net;
using System.Net.Http.Json;
using Commons.Core.Members;
using Commons.Core.Nodes;

namespace Commons.Web.Tests;

/// <summary>First run without a configured password: every page leads to /setup, which a one-time code opens once.</summary>
public sealed class SetupTests
{
    private static KeyValuePair<string, string>[] Fields(string? code, string password = "a-long-enough-password", string? confirm = null, string username = "admin", string name = "Maison des Alternatives") =>
    [
        new("Form.Code", code ?? ""), new("Form.FromLink", "1"), new("Form.NodeName", name), new("Form.Username", username),
        new("Form.Password", password), new("Form.PasswordConfirm", confirm ?? password),
    ];

    [Fact]
    public async Task The_setup_link_names_the_node_creates_the_admin_signs_in_and_then_the_page_is_gone()
    {
        await using var node = new SetupNode();
        using var browser = node.Browser();

        // Every page of the interface leads to the setup page; the code waits in a file only the node's account can read.
        foreach (var path in new[] { "/", "/signin", "/members", "/account" })
        {
            var (redirect, _) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("/setup", Browser.Location(redirect));
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/readyz")).Response.StatusCode);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node.CodeFile));
        var code = node.Code;
        Assert.True(code.Length >= 40);

        var (page, html) = await browser.GetAsync($"/setup?code={Uri.EscapeDataString(code)}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        foreach (var id in new[] { "node-name", "admin-username", "admin-password", "admin-password-confirm", "setup-submit" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains($"type=\"hidden\" name=\"Form.Code\" value=\"{code}\"", html);
        Assert.Equal("admin", Browser.InputValue(html, "admin-username"));

        var done = await browser.SubmitAsync($"/setup?code={Uri.EscapeDataString(code)}", "setup", Fields(code, username: "lea"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", Browser.Location(done));
        var (dashboard, dashboardHtml) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("id=\"dead-letters\"", dashboardHtml); // signed in as an administrator

        var admin = node.Service<IMemberStore>().Find("lea");
        Assert.NotNull(admin);
        Assert.Equal(MemberRole.Admin, admin.Role);
        Assert.False(admin.MustChangePassword);
        Assert.Equal("Maison des Alternatives", node.Service<INodeStore>().Get()!.Name);
        Assert.False(File.Exists(node.CodeFile));

        // The code was single use and the page is gone, for everyone.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/setup?code={Uri.EscapeDataString(code)}")).Response.StatusCode);
        using var other = node.Browser();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/setup")).Response.StatusCode);
        var (_, signin) = await other.GetAsync("/signin");
        var again = await other.PostFormAsync("/setup", [new("_handler", "setup"), new("__RequestVerificationToken", Browser.Token(signin)), .. Fields(code, username: "mallory")]);
        Assert.NotEqual(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Null(node.Service<IMemberStore>().Find("mallory"));
        Assert.Equal(1, node.Service<IMemberStore>().Count());

        // The API accepts the new administrator.
        using var api = new HttpClient { BaseAddress = node.Address };
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/auth/login", new { username = "lea", password = "a-long-enough-password" })).StatusCode);
    }

    [Fact]
    public async Task Wrong_missing_mismatched_weak_or_forged_submissions_are_refused_and_leave_setup_open()
    {
        await using var node = new SetupNode();
        using var browser = node.Browser();
        var code = node.Code;
        var page = $"/setup?code={Uri.EscapeDataString(code)}";

        // The API has no account to sign in with until setup is done.
        using var api = new HttpClient { BaseAddress = node.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "a-long-enough-password" })).StatusCode);

        // Without the code in the link, the page asks for it.
        var (_, bare) = await browser.GetAsync("/setup");
        Assert.Contains("id=\"setup-code\"", bare);
        Assert.Contains("<label for=\"setup-code\">", bare);

        var wrong = await browser.SubmitAsync(page, "setup", Fields("not-the-code"));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", wrongHtml);
        Assert.Contains("This setup code is not valid", wrongHtml);

        var missing = await browser.SubmitAsync("/setup", "setup", Fields(null));
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Contains("The setup code is missing", await missing.Content.ReadAsStringAsync());

        var mismatched = await browser.SubmitAsync(page, "setup", Fields(code, confirm: "another-long-password"));
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        var mismatchedHtml = await mismatched.Content.ReadAsStringAsync();
        Assert.Contains("<p class=\"field-error\" id=\"admin-password-confirm-error\">The two passwords are not the same.</p>", mismatchedHtml);
        Assert.Contains("aria-describedby=\"admin-password-confirm-error\"", mismatchedHtml);

        var weak = await browser.SubmitAsync(page, "setup", Fields(code, password: "short"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var weakHtml = await weak.Content.ReadAsStringAsync();
        Assert.Contains("id=\"admin-password-error\"", weakHtml);
        Assert.Contains("At least 10 characters.", weakHtml);
        Assert.Contains("aria-invalid=\"true\"", weakHtml);

        var badName = await browser.SubmitAsync(page, "setup", Fields(code, username: "Not Valid!"));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("id=\"admin-username-error\"", await badName.Content.ReadAsStringAsync());

        var forged = await browser.PostFormAsync("/setup", [new("_handler", "setup"), .. Fields(code)]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Nothing was created, the node keeps its name, and the code still works.
        Assert.Equal(0, node.Service<IMemberStore>().Count());
        Assert.Equal("Fresh node", node.Service<INodeStore>().Get()!.Name);
        Assert.Equal(code, node.Code);
        var done = await browser.SubmitAsync(page, "setup", Fields(code));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(1, node.Service<IMemberStore>().Count());
    }
}
