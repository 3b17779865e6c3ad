using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Services.Membership;
using Commons.Modules.Credit.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>Joining over <c>/api/credit/groups</c> (real HTTP on 127.0.0.1) and with <c>credit join</c> / <c>credit groups</c>.</summary>
public sealed class MembershipHttpTests : IDisposable
{
    private static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = Admin, ["alice"] = new Caller("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write),
    };

    private readonly MembershipNetwork _net = new();

    public void Dispose() => _net.Dispose();

    private static Task<ModuleTestHost> Host(MemberNode node) =>
        ModuleTestHost.StartAsync<CreditModule>(Callers, s => s.AddSingleton(node.Membership));

    private static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement.Clone();
        if (code is not null) Assert.Equal(code, json.GetProperty("code").GetString());
        return json;
    }

    [Fact]
    public async Task An_administrator_reads_the_offer_joins_and_lists_the_group_a_member_may_not_join()
    {
        await _net.A.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        await using var host = await Host(_net.B);
        var root = host.Client("root");
        var offer = await Expect(await root.GetAsync("/api/credit/groups/offer?address=groups%40a.example"), HttpStatusCode.OK);
        Assert.Equal(("sel", "ŧ", "-100", "100", "Zinne", 2880, 3), (offer.GetProperty("group").GetString(), offer.GetProperty("symbol").GetString(),
            offer.GetProperty("ownLowest").GetString(), offer.GetProperty("highest").GetString(), offer.GetProperty("unitName").GetString(),
            offer.GetProperty("transferTimeoutMinutes").GetInt32(), offer.GetProperty("members").GetArrayLength()));

        await Expect(await host.Client("alice").PostAsJsonAsync("/api/credit/groups/join", new { address = "groups@a.example" }), HttpStatusCode.Forbidden);
        var joined = await Expect(await root.PostAsJsonAsync("/api/credit/groups/join", new { address = "groups@a.example" }), HttpStatusCode.Created);
        Assert.Equal(("ledger", "sel"), (joined.GetProperty("ledger").GetString(), joined.GetProperty("group").GetString()));
        Assert.Equal(["a.example", "c.example"], joined.GetProperty("sharedWith").EnumerateArray().Select(h => h.GetString()).ToList());
        Assert.Contains(joined.GetProperty("following").EnumerateArray(), f => f.GetProperty("ledger").GetString() == _net.A.LedgerActor && f.GetProperty("state").GetString() == "accepted");

        await Expect(await root.PostAsJsonAsync("/api/credit/groups/join", new { address = "groups@a.example" }), HttpStatusCode.Conflict, "already_joined");
        var listed = await Expect(await root.GetAsync("/api/credit/groups"), HttpStatusCode.OK);
        Assert.Equal("sel", Assert.Single(listed.EnumerateArray()).GetProperty("group").GetString());
        await Expect(await host.Client("alice").PostAsync("/api/credit/groups/refresh", null), HttpStatusCode.Forbidden);
        await Expect(await root.PostAsync("/api/credit/groups/refresh", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refusals_come_as_problems_with_their_codes()
    {
        var z = _net.Outsider("z");
        await using var host = await Host(z);
        var root = host.Client("root");
        await Expect(await root.GetAsync("/api/credit/groups/offer?address=groups%40a.example"), HttpStatusCode.UnprocessableEntity, "not_listed");
        await Expect(await root.GetAsync("/api/credit/groups/offer?address="), HttpStatusCode.BadRequest);
        _net.Down.Add("a");
        await Expect(await root.PostAsJsonAsync("/api/credit/groups/join", new { address = "groups@a.example" }), HttpStatusCode.BadRequest, "origin_unreachable");
    }

    [Fact]
    public void The_join_and_groups_commands_print_the_terms_then_one_line_per_membership()
    {
        var output = new StringWriter();
        var services = new ServiceCollection().AddSingleton(_net.C.Membership).BuildServiceProvider();
        var command = new CreditModule().BuildCommand(() => new ModuleCommandContext(services, output, Admin))!;
        int Run(params string[] args) => command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, Run("groups"));
        Assert.Contains("no ledger has joined an exchange group", output.ToString());
        Assert.Equal(0, Run("join", "groups@a.example"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("group sel at https://a.example/datasets/groups: unit ŧ (2 decimals), limits -50…50, timeout 2880 min, 3 members", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ledger: group sel (https://a.example/datasets/groups), shared with 2 node(s), following 0/2", StringComparison.Ordinal) && l.EndsWith(']'));
        output.GetStringBuilder().Clear();
        Assert.Equal(0, Run("groups", "--refresh"));
        Assert.StartsWith("ledger: group sel", output.ToString());
    }
}
