using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>A node that does not throttle, so that the few wrong passwords these tests send never lock anyone out.</summary>
public sealed class UnthrottledNode : NodeFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Commons:Security:LoginFailuresBeforeThrottle", "1000")];
}

public sealed class AuthTests(UnthrottledNode node) : IClassFixture<UnthrottledNode>
{
    private async Task<HttpResponseMessage> Login(string username, string password)
    {
        using var client = node.Client();
        return await client.PostAsJsonAsync("/api/auth/login", new { username, password });
    }

    private async Task<HttpResponseMessage> Refresh(string refreshToken)
    {
        using var client = node.Client();
        return await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
    }

    private static bool Parseable(string token) => token.Count(c => c == '_') == 2;

    [Fact]
    public async Task Login_with_the_right_password_gives_a_working_token_pair()
    {
        var user = await node.CreateMemberAsync();
        var pair = await NodeFactory.Expect(await Login(user, NodeFactory.MemberPassword), 200);
        Assert.Equal("Bearer", (string)pair["tokenType"]!);
        Assert.InRange((int)pair["expiresIn"]!, 60, 24 * 3600);
        Assert.StartsWith("cnrt_", (string)pair["refreshToken"]!);
        using var client = node.Client((string)pair["accessToken"]!);
        Assert.Equal(user, (string)(await client.GetJson("/api/me"))["username"]!);
        // The username is not case-sensitive.
        await NodeFactory.Expect(await Login(user.ToUpperInvariant(), NodeFactory.MemberPassword), 200);
    }

    [Theory]
    [InlineData("wrong-password-entirely")]
    [InlineData("")]
    public async Task A_wrong_password_or_unknown_user_is_401(string password)
    {
        var user = await node.CreateMemberAsync();
        var wrong = await NodeFactory.ExpectProblem(await Login(user, password), 401);
        var unknown = await NodeFactory.ExpectProblem(await Login("nobody-" + user, NodeFactory.MemberPassword), 401);
        Assert.Equal((string)wrong["detail"]!, (string)unknown["detail"]!);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_is_refused_and_revokes_the_family()
    {
        var user = await node.CreateMemberAsync();
        // See TokenSecretTests: a refresh token with a '_' in its secret part never works, so pick a pair that can.
        string first, second, access;
        while (true)
        {
            var pair = await NodeFactory.Expect(await Login(user, NodeFactory.MemberPassword), 200);
            first = (string)pair["refreshToken"]!;
            if (!Parseable(first)) continue;
            var rotated = await NodeFactory.Expect(await Refresh(first), 200);
            second = (string)rotated["refreshToken"]!;
            access = (string)rotated["accessToken"]!;
            if (Parseable(second)) break;
        }
        Assert.NotEqual(first, second);
        using (var client = node.Client(access))
            await NodeFactory.Expect(await client.GetAsync("/api/me"), 200);

        // The first one again: refused, and the thief's use signs the member out of every refresh token.
        await NodeFactory.ExpectValidation(await Refresh(first), "refreshToken");
        await NodeFactory.ExpectValidation(await Refresh(second), "refreshToken");
        await NodeFactory.ExpectValidation(await Refresh("cnrt_0123456789abcdef_nonsense"), "refreshToken");
        await NodeFactory.ExpectValidation(await Refresh(""), "refreshToken");
    }

    [Fact]
    public async Task Changing_the_password_invalidates_old_jwts_and_refresh_tokens()
    {
        var user = await node.CreateMemberAsync();
        var pair = await NodeFactory.Expect(await Login(user, NodeFactory.MemberPassword), 200);
        var old = (string)pair["accessToken"]!;
        using var client = node.Client(old);
        await NodeFactory.Expect(await client.GetAsync("/api/me"), 200);

        await NodeFactory.ExpectValidation(await client.PostAsync("/api/me/password",
            NodeFactory.Json("""{"currentPassword":"not-my-password-at-all","newPassword":"a-brand-new-password"}""")), "currentPassword");
        await NodeFactory.Expect(await client.GetAsync("/api/me"), 200);

        using (var changed = await client.PostAsync("/api/me/password",
            NodeFactory.Json($$"""{"currentPassword":"{{NodeFactory.MemberPassword}}","newPassword":"a-brand-new-password"}""")))
            Assert.Equal(204, (int)changed.StatusCode);

        await NodeFactory.ExpectProblem(await client.GetAsync("/api/me"), 401);
        if (Parseable((string)pair["refreshToken"]!))
            await NodeFactory.ExpectValidation(await Refresh((string)pair["refreshToken"]!), "refreshToken");
        await NodeFactory.ExpectProblem(await Login(user, NodeFactory.MemberPassword), 401);
        await NodeFactory.Expect(await Login(user, "a-brand-new-password"), 200);
    }

    [Fact]
    public async Task Disabling_a_member_kills_their_jwt_and_pat_at_once()
    {
        var user = await node.CreateMemberAsync();
        var jwt = await node.AccessTokenAsync(user, NodeFactory.MemberPassword);
        var (_, pat) = await node.CreatePatAsync(jwt, ["write"]);
        using var withJwt = node.Client(jwt);
        using var withPat = node.Client(pat);
        await NodeFactory.Expect(await withJwt.GetAsync("/api/me"), 200);
        await NodeFactory.Expect(await withPat.GetAsync("/api/me"), 200);

        using var admin = await node.AdminAsync();
        await NodeFactory.Expect(await admin.PatchAsync($"/api/members/{user}", NodeFactory.Json("""{"disabled":true}""")), 200);

        await NodeFactory.ExpectProblem(await withJwt.GetAsync("/api/me"), 401);
        await NodeFactory.ExpectProblem(await withPat.GetAsync("/api/me"), 401);
        await NodeFactory.ExpectProblem(await withPat.GetAsync("/api/datasets"), 401);
        await NodeFactory.ExpectProblem(await Login(user, NodeFactory.MemberPassword), 401);

        // Enabled again: the old JWT stays dead (a new sign-in is needed).
        await NodeFactory.Expect(await admin.PatchAsync($"/api/members/{user}", NodeFactory.Json("""{"disabled":false}""")), 200);
        await NodeFactory.ExpectProblem(await withJwt.GetAsync("/api/me"), 401);
        await NodeFactory.Expect(await Login(user, NodeFactory.MemberPassword), 200);
    }

    [Fact]
    public async Task A_role_change_kills_the_old_jwt()
    {
        var user = await node.CreateMemberAsync();
        var jwt = await node.AccessTokenAsync(user, NodeFactory.MemberPassword);
        using var admin = await node.AdminAsync();
        await NodeFactory.Expect(await admin.PatchAsync($"/api/members/{user}", NodeFactory.Json("""{"role":"admin"}""")), 200);
        using var old = node.Client(jwt);
        await NodeFactory.ExpectProblem(await old.GetAsync("/api/members"), 401);
    }

    [Fact]
    public async Task Pat_secrets_are_returned_once_and_never_by_list_endpoints()
    {
        var user = await node.CreateMemberAsync();
        var jwt = await node.AccessTokenAsync(user, NodeFactory.MemberPassword);
        var (id, secret) = await node.CreatePatAsync(jwt, ["read"]);
        var secretPart = secret.Split('_', 3)[2];

        using var own = node.Client(jwt);
        using var admin = await node.AdminAsync();
        foreach (var (client, path) in new[] { (own, "/api/tokens"), (admin, "/api/tokens?all=true") })
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Contains(id, body);
            Assert.DoesNotContain(secretPart, body);
            Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);
        }
        var listed = JsonNode.Parse(await own.GetStringAsync("/api/tokens"))!.AsArray().Single(t => (string)t!["id"]! == id)!;
        Assert.Equal(["read"], listed["scopes"]!.AsArray().Select(s => (string)s!));
        // Only admins may list everyone's.
        await NodeFactory.ExpectProblem(await own.GetAsync("/api/tokens?all=true"), 403);
    }

    [Fact]
    public async Task A_token_never_gets_more_than_the_credential_that_creates_it()
    {
        var user = await node.CreateMemberAsync();
        var jwt = await node.AccessTokenAsync(user, NodeFactory.MemberPassword);
        var (_, read) = await node.CreatePatAsync(jwt, ["read"]);
        var (_, write) = await node.CreatePatAsync(jwt, ["write"]);
        using (var r = node.Client(read))
            await NodeFactory.ExpectProblem(await r.PostAsJsonAsync("/api/tokens", new { name = "more", scopes = new[] { "write" } }), 403);
        using (var w = node.Client(write))
            await NodeFactory.ExpectValidation(await w.PostAsJsonAsync("/api/tokens", new { name = "admin", scopes = new[] { "admin" } }), "scopes");
        using (var j = node.Client(jwt))
        {
            await NodeFactory.ExpectValidation(await j.PostAsJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "root" } }), "scopes");
            await NodeFactory.ExpectValidation(await j.PostAsJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "read" }, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) }), "expiresAt");
        }
    }

    [Fact]
    public async Task A_garbage_or_forged_bearer_is_401()
    {
        foreach (var bearer in new[] { "nonsense", "cnpat_0123456789abcdef_forged", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl", "cnrt_0123456789abcdef_x" })
        {
            using var client = node.Client(bearer);
            await NodeFactory.ExpectProblem(await client.GetAsync("/api/me"), 401);
        }
        // A refresh token is not an access token.
        var pair = await node.LoginAsync("admin", NodeFactory.AdminPassword);
        using var refresh = node.Client((string)pair["refreshToken"]!);
        await NodeFactory.ExpectProblem(await refresh.GetAsync("/api/me"), 401);
    }

    [Fact]
    public async Task Health_probes_and_the_openapi_document_are_public()
    {
        using var client = node.Client();
        Assert.Equal("alive", (string)(await client.GetJson("/healthz"))["status"]!);
        Assert.Equal("ready", (string)(await client.GetJson("/readyz"))["status"]!);
        using var openapi = await client.GetAsync("/openapi/v1.json");
        var doc = await NodeFactory.Expect(openapi, 200);
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/datasets/{slug}/records"), string.Join(", ", paths.Select(p => p.Key)));
        foreach (var p in new[] { "/api/auth/login", "/api/datasets", "/api/datasets/{slug}/records/{id}", "/api/datasets/{slug}/changes", "/api/tokens", "/api/members" })
            Assert.True(paths.ContainsKey(p), p);
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/_admin", StringComparison.Ordinal));
    }
}

/// <summary>Repeated failed sign-ins are throttled; a moved clock lifts the block without waiting.</summary>
public sealed class LoginThrottleTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task After_five_failures_sign_in_is_429_with_retry_after_even_with_the_right_password()
    {
        var user = await node.CreateMemberAsync();
        using var client = node.Client();
        for (var i = 0; i < 5; i++)
            await NodeFactory.ExpectProblem(await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = $"guess-number-{i}-wrong" }), 401);

        using var blocked = await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = NodeFactory.MemberPassword });
        await NodeFactory.ExpectProblem(blocked, 429);
        var retryAfter = int.Parse(blocked.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 900);

        node.Clock.Advance(TimeSpan.FromSeconds(retryAfter + 1));
        await NodeFactory.Expect(await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = NodeFactory.MemberPassword }), 200);
    }
}

/// <summary>
/// An access token (JWT) stops working when its lifetime is over. The bearer handler checks lifetimes against the system
/// clock, not the node's TimeProvider, so the token is issued with the clock set back by more than its lifetime.
/// </summary>
public sealed class ExpiredJwtTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task A_jwt_past_its_lifetime_is_401()
    {
        var fresh = await node.LoginAsync("admin", NodeFactory.AdminPassword);
        using (var ok = node.Client((string)fresh["accessToken"]!))
            await NodeFactory.Expect(await ok.GetAsync("/api/me"), 200);

        var back = TimeSpan.FromSeconds((int)fresh["expiresIn"]!) + TimeSpan.FromMinutes(2);
        node.Clock.Advance(-back);
        JsonObject old;
        try { old = await node.LoginAsync("admin", NodeFactory.AdminPassword); }
        finally { node.Clock.Advance(back); }

        using var client = node.Client((string)old["accessToken"]!);
        var problem = await NodeFactory.ExpectProblem(await client.GetAsync("/api/me"), 401);
        Assert.Equal("Unauthorized", (string)problem["title"]!);
    }
}
