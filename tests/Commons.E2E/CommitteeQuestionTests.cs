using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// A proposal as a Mastodon-style follower sees it, between two real node processes (the coordinator, one member) and
/// two ActivityPub actors of another server: the follower the proposals dataset admitted receives the Create{Question}
/// (no count: results hidden) and, at closing, the Update{Question} with the counts; the follower still waiting for
/// approval receives nothing and cannot fetch it; a Mastodon poll answer (Create{Note} naming an option) is no ballot.
/// </summary>
[Collection(CommitteeNetworkCollection.Name)]
public sealed class CommitteeQuestionTests : IAsyncLifetime
{
    private CommitteeNetwork _net = null!;
    private FakeActorServer _mastodon = null!;

    public async Task InitializeAsync()
    {
        _net = await CommitteeNetwork.StartAsync(2);
        _mastodon = await FakeActorServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _mastodon.DisposeAsync();
        await _net.DisposeAsync();
    }

    private string Inbox => $"{_net.Coordinator.DatasetActor(CommitteeNetwork.Proposals)}/inbox";

    private static async Task<int> SendAsync(HttpRequestMessage request)
    {
        using var client = new HttpClient();
        using (request) return (int)(await client.SendAsync(request)).StatusCode;
    }

    private static string Follow(FakeActor actor, string target) => new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{actor.Id}#follows/1", ["type"] = "Follow", ["actor"] = actor.Id, ["object"] = target,
    }.ToJsonString();

    private List<JsonObject> Received(FakeActor actor, string type) =>
        _mastodon.Received.Where(r => r.Actor == actor.Name && (string?)r.Activity["type"] == type).Select(r => r.Activity).ToList();

    [Fact]
    public async Task Only_the_admitted_follower_gets_the_Question_its_counts_come_at_closing_and_a_poll_answer_is_no_ballot()
    {
        var admitted = _mastodon.Actor("admitted");
        var waiting = _mastodon.Actor("waiting");
        var proposals = _net.Coordinator.DatasetActor(CommitteeNetwork.Proposals);
        Assert.Equal(202, await SendAsync(await admitted.SignedPostAsync(new Uri(Inbox), Follow(admitted, proposals))));
        Assert.Equal(202, await SendAsync(await waiting.SignedPostAsync(new Uri(Inbox), Follow(waiting, proposals))));
        using (var steward = await _net.Coordinator.AdminAsync())
            await Wait.UntilAsync(async () => (await steward.PostAsync($"/api/datasets/{CommitteeNetwork.Proposals}/followers/accept",
                Http.Json(new JsonObject { ["actor"] = admitted.Id }))).IsSuccessStatusCode, "the admitted actor's follow to arrive", TimeSpan.FromMinutes(2));

        var closes = await _net.ProposeAsync("q1", TimeSpan.FromSeconds(45), hidden: true);
        var create = await Wait.ForAsync(() => Task.FromResult(Received(admitted, "Create").FirstOrDefault()), c => c is not null,
            "the Create{Question} to reach the admitted follower", TimeSpan.FromMinutes(2));
        var question = create!["object"]!.AsObject();
        Assert.Equal("Question", (string?)question["type"]);
        Assert.Equal($"{proposals}/records/q1", (string?)question["id"]);
        Assert.Equal(["yes", "no", "abstain"], question["oneOf"]!.AsArray().Select(o => (string?)o!["name"]));
        Assert.NotNull(question["endTime"]);
        Assert.Null(question["votersCount"]);
        Assert.DoesNotContain("totalItems", create.ToJsonString(), StringComparison.Ordinal);

        // At its id: the admitted follower reads it (signed fetch); the one still waiting gets the same 404 as for nothing.
        using (var client = new HttpClient())
        {
            var fetched = await client.SendAsync(admitted.SignedGet(new Uri((string)question["id"]!)));
            Assert.Equal(200, (int)fetched.StatusCode);
            Assert.Equal("application/activity+json", fetched.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Question", (string?)JsonNode.Parse(await fetched.Content.ReadAsStringAsync())!["type"]);
            Assert.Equal(404, (int)(await client.SendAsync(waiting.SignedGet(new Uri((string)question["id"]!)))).StatusCode);
        }

        Assert.Equal("accepted", (string?)(await _net.VoteAsync(1, "q1", "yes"))["state"]);
        // A Mastodon poll answer: Create{Note} in reply to the Question, named after an option. Taken by the inbox, never counted.
        var answer = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{admitted.Id}#votes/1", ["type"] = "Create", ["actor"] = admitted.Id,
            ["to"] = proposals,
            ["object"] = new JsonObject
            {
                ["id"] = $"{admitted.Id}#votes/1/note", ["type"] = "Note", ["name"] = "no", ["inReplyTo"] = question["id"]!.DeepClone(),
                ["attributedTo"] = admitted.Id, ["to"] = proposals,
            },
        }.ToJsonString();
        Assert.Equal(202, await SendAsync(await admitted.SignedPostAsync(new Uri(Inbox), answer)));

        await Wait.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow >= closes), "the closing time", TimeSpan.FromSeconds(90));
        var (exit, closed) = await CreditNetwork.CliAsync(_net.Coordinator, "committee", "close", CommitteeNetwork.Proposals, "q1");
        Assert.True(exit == 0, closed);
        var update = await Wait.ForAsync(() => Task.FromResult(Received(admitted, "Update").FirstOrDefault()), u => u is not null,
            "the Update{Question} of the closing", TimeSpan.FromMinutes(2));
        var final = update!["object"]!.AsObject();
        Assert.Equal("Question", (string?)final["type"]);
        Assert.NotNull(final["closed"]);
        Assert.Equal(1, (int?)final["votersCount"]);
        Assert.Equal([1, 0, 0], final["oneOf"]!.AsArray().Select(o => (int)o!["replies"]!["totalItems"]!));

        // The follower still waiting heard nothing of the committee, and the member's replica has the closed proposal.
        Assert.DoesNotContain(_mastodon.Received, r => r.Actor == waiting.Name && (string?)r.Activity["type"] is "Create" or "Update");
        await _net.ReplicatedAsync(1, CommitteeNetwork.Proposals, "q1", d => d["closed"] is not null, "the closed proposal");
    }
}
