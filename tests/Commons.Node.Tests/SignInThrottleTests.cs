using System.Net.Http.Json;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// The sign-in throttle never refuses a correct password because of other people's failures (every test client here
/// shares 127.0.0.1, as members behind one proxy do), while guessing one account and spraying names are still slowed.
/// Each class has its own node: the throttle's state is per address, and these tests share one.
/// </summary>
public abstract class ThrottleTestBase(NodeFactory node)
{
    protected NodeFactory Node => node;

    protected async Task<HttpResponseMessage> Login(string username, string password)
    {
        using var client = node.Client();
        return await client.PostAsJsonAsync("/api/auth/login", new { username, password });
    }
}

public sealed class NameSprayingTests(NodeFactory node) : ThrottleTestBase(node), IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Spraying_made_up_names_from_one_address_does_not_lock_out_the_administrator()
    {
        for (var i = 0; i < 30; i++)
            await NodeFactory.ExpectProblem(await Login($"made-up-{Guid.NewGuid():N}", "whatever"), 401);

        await NodeFactory.Expect(await Login("admin", NodeFactory.AdminPassword), 200);
        var member = await Node.CreateMemberAsync();
        await NodeFactory.Expect(await Login(member, NodeFactory.MemberPassword), 200);
    }

}

public sealed class AccountGuessingTests(NodeFactory node) : ThrottleTestBase(node), IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Guessing_one_account_blocks_that_account_from_that_address_only()
    {
        var victim = await Node.CreateMemberAsync();
        var bystander = await Node.CreateMemberAsync();
        for (var i = 0; i < 5; i++)
            await NodeFactory.ExpectProblem(await Login(victim, $"guess-{i}"), 401);

        var blocked = await NodeFactory.ExpectProblem(await Login(victim, NodeFactory.MemberPassword), 429);
        Assert.Equal("too_many_requests", (string)blocked["code"]!);
        await NodeFactory.Expect(await Login(bystander, NodeFactory.MemberPassword), 200);
    }

}

public sealed class PasswordSprayingTests(NodeFactory node) : ThrottleTestBase(node), IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Once_an_address_sprays_each_account_gets_one_wrong_guess_from_it_but_a_right_password_still_works()
    {
        var members = new List<string>();
        for (var i = 0; i < 3; i++) members.Add(await Node.CreateMemberAsync());
        for (var i = 0; i < 26; i++)
            await NodeFactory.ExpectProblem(await Login($"sprayed-{Guid.NewGuid():N}", "password1"), 401);

        await NodeFactory.ExpectProblem(await Login(members[0], "password1"), 401);
        await NodeFactory.ExpectProblem(await Login(members[0], "password2"), 429);
        await NodeFactory.Expect(await Login(members[1], NodeFactory.MemberPassword), 200);
        await NodeFactory.Expect(await Login(members[2], NodeFactory.MemberPassword), 200);
    }
}

/// <summary>The web sign-in page follows the same rule: failures with made-up names do not refuse the administrator.</summary>
public sealed class WebSignInThrottleTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Spraying_the_sign_in_page_does_not_lock_out_the_administrator()
    {
        for (var i = 0; i < 30; i++)
            Assert.Equal(401, await WebSignIn.PostAsync(node, $"made-up-{i}", "whatever"));
        Assert.Equal(302, await WebSignIn.PostAsync(node, "admin", NodeFactory.AdminPassword));
    }
}
