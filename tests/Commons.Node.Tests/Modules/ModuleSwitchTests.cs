using System.Text.Json.Nodes;
using Commons.Core.Modules;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary>Turning a module on and off at runtime over real HTTP: off by default, its API a 404 while off, only administrators switch.</summary>
public sealed class ModuleSwitchTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    private static HttpRequestMessage Hello() => new(HttpMethod.Get, "/api/probe/hello") { Headers = { Accept = { new("application/json") } } };

    [Fact]
    public async Task A_module_is_off_until_an_administrator_turns_it_on_and_its_api_answers_404_while_off()
    {
        var member = await node.AccessTokenAsync(await node.CreateMemberAsync(), NodeFactory.MemberPassword);
        using var client = node.Client(member);
        using var admin = await node.AdminAsync();

        var listed = (await NodeFactory.Expect(await admin.GetAsync("/api/admin/modules"), 200))["items"]!.AsArray();
        var probe = listed.Single(m => (string?)m!["name"] == "probe")!;
        Assert.False((bool)probe["enabled"]!);
        Assert.Equal("/schemas/probe.slots.v1.json", (string?)probe["kinds"]![0]!["schema"]);
        Assert.Equal("not_found", (string?)(await NodeFactory.ExpectProblem(await client.SendAsync(Hello()), 404))["code"]);
        // Off is off for everyone, the anonymous included: nothing says the module exists.
        Assert.Equal("not_found", (string?)(await NodeFactory.ExpectProblem(await node.Client().SendAsync(Hello()), 404))["code"]);

        var on = await NodeFactory.Expect(await admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":true}""")), 200);
        Assert.True((bool)on["enabled"]!);
        Assert.Equal("admin", (string?)on["changedBy"]);
        var hello = await NodeFactory.Expect(await client.SendAsync(Hello()), 200);
        Assert.Equal("hello from probe", (string?)hello["text"]);
        // The caller as the host reads it, lent to the module (ICallerAccessor).
        Assert.NotEqual("admin", (string?)hello["to"]);
        Assert.StartsWith("m", (string?)hello["to"]);
        // Still the member API: a credential is needed.
        await NodeFactory.ExpectProblem(await node.Client().SendAsync(Hello()), 401);

        await NodeFactory.Expect(await admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":false}""")), 200);
        await NodeFactory.ExpectProblem(await client.SendAsync(Hello()), 404);
        Assert.False(node.Service<IModuleSwitches>().IsOn("probe"));
    }

    [Fact]
    public async Task Only_administrators_switch_modules_and_bad_switches_are_refused()
    {
        var member = await node.AccessTokenAsync(await node.CreateMemberAsync(), NodeFactory.MemberPassword);
        using var client = node.Client(member);
        Assert.Equal("forbidden", (string?)(await NodeFactory.ExpectProblem(await client.GetAsync("/api/admin/modules"), 403))["code"]);
        await NodeFactory.ExpectProblem(await client.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":true}""")), 403);
        await NodeFactory.ExpectProblem(await node.Client().PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":true}""")), 401);
        // An administrator's read-only token may not either.
        var adminJwt = await node.AccessTokenAsync("admin", NodeFactory.AdminPassword);
        using var readOnly = node.Client((await node.CreatePatAsync(adminJwt, ["read"])).Secret);
        await NodeFactory.ExpectProblem(await readOnly.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":true}""")), 403);

        using var admin = await node.AdminAsync();
        await NodeFactory.ExpectProblem(await admin.PutAsync("/api/admin/modules/nothing", NodeFactory.Json("""{"enabled":true}""")), 404);
        await NodeFactory.ExpectValidation(await admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json("{}")), "enabled");
        await NodeFactory.ExpectProblem(await admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":"yes"}""")), 400);
        await NodeFactory.ExpectProblem(await admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json("""{"enabled":true,"more":1}""")), 400);
        Assert.False(node.Service<IModuleSwitches>().IsOn("probe"));
    }
}

/// <summary>Switches set at once from many requests: what the node answers by afterwards is what its store holds.</summary>
public sealed class ModuleSwitchConcurrencyTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    [Fact]
    public async Task Concurrent_switches_leave_the_node_and_its_store_agreeing()
    {
        using var admin = await node.AdminAsync();
        var puts = Enumerable.Range(0, 40).Select(i =>
            admin.PutAsync("/api/admin/modules/probe", NodeFactory.Json(i % 2 == 0 ? """{"enabled":true}""" : """{"enabled":false}""")));
        Assert.All(await Task.WhenAll(puts), r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        var fresh = new Platform.ModuleSwitchboard(node.Service<IModuleStore>(), TimeProvider.System);
        Assert.Equal(fresh.IsOn("probe"), node.Service<IModuleSwitches>().IsOn("probe"));
        await NodeFactory.Expect(await admin.GetAsync("/api/probe/hello"), fresh.IsOn("probe") ? 200 : 404);
    }
}

/// <summary>The switch is kept in the node's store: a restart on the same data folder finds the module as it was left.</summary>
public sealed class ModuleSwitchRestartTests
{
    [Fact]
    public async Task A_module_turned_on_is_still_on_after_a_restart_and_one_turned_off_still_off()
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-node-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new ProbeNodeOnFolder(folder))
            {
                await first.SwitchAsync(on: true);
            }
            await using (var second = new ProbeNodeOnFolder(folder))
            {
                using var admin = await second.AdminAsync();
                await NodeFactory.Expect(await admin.GetAsync("/api/probe/hello"), 200);
                await second.SwitchAsync(on: false);
            }
            await using (var third = new ProbeNodeOnFolder(folder))
            {
                using var admin = await third.AdminAsync();
                await NodeFactory.ExpectProblem(await admin.GetAsync("/api/probe/hello"), 404);
                var probe = (await NodeFactory.Expect(await admin.GetAsync("/api/admin/modules"), 200))["items"]!.AsArray()
                    .Single(m => (string?)m!["name"] == "probe")!;
                Assert.False((bool)probe["enabled"]!);
                Assert.NotNull((string?)probe["changedAt"]);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
