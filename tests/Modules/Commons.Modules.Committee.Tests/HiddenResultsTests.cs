using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Modules.Committee.Services;
using Commons.Modules.Committee.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// Hidden results stay hidden until closing: not in the API (over real HTTP), not in what the coordinator answers a
/// voter, not in the proposals' records (what replicates), not a count. Open results show the live counts.
/// </summary>
public sealed class HiddenResultsTests
{
    [Fact]
    public async Task Before_closing_hidden_results_reveal_nothing_in_the_api_the_answers_or_the_records()
    {
        await using var s = await CommitteeScenario.StartAsync(5);
        var c = s.Coordinator;
        s.Coordinator.Propose("p1", hidden: true);
        var before = c.RecordStore.Get(c.DatasetStore.Find("proposals")!.Key, "p1")!;
        var answers = new List<Exchange>();
        foreach (var (i, o) in new[] { (1, "yes"), (2, "no"), (3, "yes") }) answers.Add(await s.VoteAsync(i, "p1", o));

        await using var host = await Host(c);
        using var api = host.Client("root");
        var hidden = await api.GetFromJsonAsync<JsonElement>("/api/committee/proposals/proposals/p1/results");
        Assert.True(hidden.GetProperty("hidden").GetBoolean());
        Assert.True(hidden.GetProperty("open").GetBoolean());
        foreach (var field in new[] { "counts", "voted", "total", "outcome" })
            Assert.Equal(JsonValueKind.Null, hidden.GetProperty(field).ValueKind);
        foreach (var a in answers) Assert.DoesNotContain("count", a.Detail ?? "", StringComparison.OrdinalIgnoreCase);

        var after = c.RecordStore.Get(c.DatasetStore.Find("proposals")!.Key, "p1")!;
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(before.Data.GetRawText(), after.Data.GetRawText());
        var feed = c.RecordStore.Query(c.DatasetStore.Find("decisions")!.Key, new RecordQuery());
        Assert.Empty(feed.Items);

        s.Close("p1");
        var shown = await api.GetFromJsonAsync<JsonElement>("/api/committee/proposals/proposals/p1/results");
        Assert.Equal("2", shown.GetProperty("counts").GetProperty("yes").GetString());
        Assert.Equal("adopted", shown.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Open_results_show_the_live_counts_and_an_unknown_proposal_is_a_404_problem()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        await s.VoteAsync(1, "p1", "no");
        await using var host = await Host(s.Coordinator);
        using var api = host.Client("root");
        var live = await api.GetFromJsonAsync<JsonElement>("/api/committee/proposals/proposals/p1/results");
        Assert.Equal("1", live.GetProperty("counts").GetProperty("no").GetString());
        Assert.Equal(JsonValueKind.Null, live.GetProperty("outcome").ValueKind);
        var missing = await api.GetAsync("/api/committee/proposals/proposals/p9/results");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("proposal_unknown", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var early = await api.PostAsync("/api/committee/proposals/proposals/p1/close", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        using var member = host.Client("mia");
        var forbidden = await member.PostAsync("/api/committee/votes", JsonContent.Create(new { target = s.ProposalsActor, proposal = "p1", option = "yes" }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var bad = await api.PostAsync("/api/committee/votes", JsonContent.Create(new { target = s.ProposalsActor, proposal = "p1" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static Task<ModuleTestHost> Host(CommitteeNode node) =>
        ModuleTestHost.StartAsync<CommitteeModule>(new Dictionary<string, Caller> { ["root"] = Admin, ["mia"] = Member }, services =>
        {
            services.AddSingleton(node.Service);
        });
}
