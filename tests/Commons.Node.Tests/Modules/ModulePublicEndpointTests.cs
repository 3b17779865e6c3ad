using System.Net;
using Commons.Node.Hosting.Modules;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// A module's public endpoints (<c>/{name}/public</c>) on the real host: answered without a credential or a cookie,
/// 404 while the module is off, and rate-limited per address with a 429 problem.
/// </summary>
public sealed class ModulePublicEndpointTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    [Fact]
    public async Task A_public_endpoint_needs_no_sign_in_and_is_a_404_while_its_module_is_off()
    {
        using var anonymous = node.Client();
        var off = await anonymous.GetAsync("/probe/public/ping/open-sesame");
        Assert.Equal("not_found", (string?)(await NodeFactory.ExpectProblem(off, 404))["code"]);

        await node.SwitchAsync(true);
        var on = await anonymous.GetAsync("/probe/public/ping/open-sesame");
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal("pong", await on.Content.ReadAsStringAsync());
        Assert.False(on.Headers.Contains("Set-Cookie"));
        await NodeFactory.ExpectProblem(await anonymous.GetAsync("/probe/public/ping/guess"), 404);
        // The member API beside it still wants a credential.
        await NodeFactory.ExpectProblem(await anonymous.GetAsync("/api/probe/hello"), 401);

        await node.SwitchAsync(false);
        await NodeFactory.ExpectProblem(await anonymous.GetAsync("/probe/public/ping/open-sesame"), 404);
    }

    [Fact]
    public async Task Public_endpoints_are_not_in_the_openapi_document()
    {
        using var anonymous = node.Client();
        var document = await NodeFactory.Expect(await anonymous.GetAsync("/openapi/v1.json"), 200);
        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.Contains("/public/", StringComparison.Ordinal));
    }
}

/// <summary>A probe node whose public endpoints take 3 requests a minute from one address.</summary>
public sealed class ThrottledProbeNode : ProbeNode
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new(ModulePublicLimits.Setting, "3")];
}

public sealed class ModulePublicRateLimitTests(ThrottledProbeNode node) : IClassFixture<ThrottledProbeNode>
{
    [Fact]
    public async Task One_address_past_the_limit_gets_a_429_problem_with_retry_after()
    {
        await node.SwitchAsync(true);
        using var anonymous = node.Client();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/probe/public/ping/open-sesame")).StatusCode);
        var refused = await anonymous.GetAsync("/probe/public/ping/open-sesame");
        Assert.Equal("too_many_requests", (string?)(await NodeFactory.ExpectProblem(refused, 429))["code"]);
        Assert.Equal("60", refused.Headers.RetryAfter!.ToString());
        // Only the public endpoints are limited so: the member API answers as before.
        using var admin = await node.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/probe/hello")).StatusCode);
    }
}
