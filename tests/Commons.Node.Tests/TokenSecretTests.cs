using System.Net.Http.Json;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// Every token the node hands out must work. A token is <c>{prefix}_{id}_{secret}</c> with a base64url secret, and
/// base64url uses '_': roughly half of all secrets contain one.
/// </summary>
public sealed class TokenSecretTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Every_personal_access_token_authenticates_even_with_an_underscore_in_its_secret()
    {
        var jwt = await node.AccessTokenAsync("admin", NodeFactory.AdminPassword);
        using var admin = node.Client(jwt);
        var checkedUnderscore = false;
        for (var i = 0; i < 40 && !checkedUnderscore; i++)
        {
            var created = await NodeFactory.Expect(await admin.PostAsJsonAsync("/api/tokens", new { name = $"t{i}", scopes = new[] { "read" } }), 201);
            var secret = (string)created["secret"]!;
            checkedUnderscore = secret.Count(c => c == '_') > 2;
            using var client = node.Client(secret);
            using var response = await client.GetAsync("/api/me");
            Assert.True(response.IsSuccessStatusCode, $"a freshly created token is refused ({(int)response.StatusCode}): {secret}");
            await NodeFactory.Expect(await admin.DeleteAsync($"/api/tokens/{(string)created["token"]!["id"]!}"), 204);
        }
        Assert.True(checkedUnderscore);
    }

    [Fact]
    public async Task Every_refresh_token_can_be_used_once_even_with_an_underscore_in_its_secret()
    {
        var checkedUnderscore = false;
        for (var i = 0; i < 40 && !checkedUnderscore; i++)
        {
            var refresh = (string)(await node.LoginAsync("admin", NodeFactory.AdminPassword))["refreshToken"]!;
            checkedUnderscore = refresh.Count(c => c == '_') > 2;
            using var client = node.Client();
            using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh });
            Assert.True(response.IsSuccessStatusCode, $"a fresh refresh token is refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(checkedUnderscore);
    }
}
