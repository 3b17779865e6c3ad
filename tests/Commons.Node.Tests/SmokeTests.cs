using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

public sealed class HealthTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Healthz_and_readyz_answer_200_over_real_http()
    {
        Assert.Equal("127.0.0.1", node.Address.Host);
        using var client = node.Client();
        await NodeFactory.Expect(await client.GetAsync("/healthz"), 200);
        await NodeFactory.Expect(await client.GetAsync("/readyz"), 200);
    }

    [Fact]
    public async Task Admin_can_sign_in_and_read_me()
    {
        using var admin = await node.AdminAsync();
        var me = await NodeFactory.Expect(await admin.GetAsync("/api/me"), 200);
        Assert.Equal("admin", (string)me["username"]!);
        Assert.Equal("admin", (string)me["role"]!);
    }
}
