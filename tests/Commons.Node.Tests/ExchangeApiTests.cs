using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// /api/exchanges as each caller sees it — decided once, in ExchangeService, from the caller: a member sees the requests
/// they sent, a steward the requests to their datasets, an administrator all; only a steward with the write scope
/// answers, once; bad inputs are problems with their codes. The wire is covered by the two-node tests (Commons.E2E).
/// </summary>
public sealed class ExchangeApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private Exchange Outgoing(string by) => Store(new Exchange
    {
        Id = $"http://127.0.0.1/actor#requests/{Guid.NewGuid():D}", Direction = ExchangeDirection.Outgoing, TargetActor = "http://peer.example/datasets/rooms",
        RequesterActor = "http://127.0.0.1/actor", PeerInbox = "http://peer.example/datasets/rooms/inbox", RequestType = "place.book", Kind = "place.bookings",
        Body = Body(), RequestedBy = by, CreatedAt = node.Clock.GetUtcNow(), ExpiresAt = node.Clock.GetUtcNow().AddDays(2),
    });

    private Exchange Incoming(string slug) => Store(new Exchange
    {
        Id = $"http://peer.example/actor#requests/{Guid.NewGuid():D}", Direction = ExchangeDirection.Incoming, DatasetSlug = slug,
        TargetActor = $"http://127.0.0.1/datasets/{slug}", RequesterActor = "http://peer.example/actor", PeerInbox = "http://127.0.0.1:9/actor/inbox",
        RequestType = "place.book", Kind = "custom", Body = Body(), CreatedAt = node.Clock.GetUtcNow(),
    });

    private Exchange Store(Exchange e)
    {
        Assert.True(node.Service<IExchangeStore>().TryAdd(e));
        return e;
    }

    private static JsonElement Body()
    {
        using var doc = JsonDocument.Parse("""{"resource":"hall"}""");
        return doc.RootElement.Clone();
    }

    private async Task<HttpClient> As(string member) => node.Client(await node.AccessTokenAsync(member, NodeFactory.MemberPassword));

    private static async Task<List<string>> Ids(HttpClient client, string query = "")
    {
        var page = await NodeFactory.Expect(await client.GetAsync("/api/exchanges" + query), 200);
        return page["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
    }

    [Fact]
    public async Task Each_caller_sees_what_the_service_lets_them_and_nothing_else()
    {
        var (ann, bob, steward, editor) = (await node.CreateMemberAsync(), await node.CreateMemberAsync(), await node.CreateMemberAsync(), await node.CreateMemberAsync());
        var slug = await node.CreateDatasetAsync("public", grants: [(steward, "steward"), (editor, "editor")]);
        var annsRequest = Outgoing(ann);
        var bobsRequest = Outgoing(bob);
        var toTheDataset = Incoming(slug);

        using var annClient = await As(ann);
        Assert.Equal([annsRequest.Ref], await Ids(annClient));
        var one = await NodeFactory.Expect(await annClient.GetAsync($"/api/exchanges/{annsRequest.Ref}"), 200);
        Assert.Equal((annsRequest.Id, "outgoing", "pending", ann), ((string?)one["requestId"], (string?)one["direction"], (string?)one["state"], (string?)one["requestedBy"]));
        await NodeFactory.ExpectProblem(await annClient.GetAsync($"/api/exchanges/{bobsRequest.Ref}"), 404);
        await NodeFactory.ExpectProblem(await annClient.GetAsync($"/api/exchanges/{toTheDataset.Ref}"), 404);

        using var stewardClient = await As(steward);
        Assert.Equal([toTheDataset.Ref], await Ids(stewardClient));
        using var editorClient = await As(editor);
        Assert.Empty(await Ids(editorClient));

        using var admin = await node.AdminAsync();
        var all = await Ids(admin, "?limit=200");
        Assert.Contains(annsRequest.Ref, all);
        Assert.Contains(bobsRequest.Ref, all);
        Assert.Contains(toTheDataset.Ref, all);
        Assert.DoesNotContain(annsRequest.Ref, await Ids(admin, "?direction=incoming&limit=200"));
        Assert.DoesNotContain(annsRequest.Ref, await Ids(admin, "?state=accepted&limit=200"));
    }

    [Theory]
    [InlineData("?direction=sideways", "direction")]
    [InlineData("?state=lost", "state")]
    [InlineData("?limit=0", "limit")]
    public async Task A_bad_filter_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        using var admin = await node.AdminAsync();
        await NodeFactory.ExpectValidation(await admin.GetAsync("/api/exchanges" + query), parameter);
    }

    [Theory]
    [InlineData("""{"target":"rooms@peer.example","type":"Book!","body":{}}""", "type")]
    [InlineData("""{"target":"rooms@peer.example","type":"place.book","body":[1]}""", "body")]
    [InlineData("""{"target":"not a handle","type":"place.book","body":{}}""", "target")]
    [InlineData("""{"target":"http://localhost/datasets/rooms","type":"place.book","body":{}}""", "target")]
    public async Task A_bad_request_to_send_is_refused_and_nothing_is_stored(string json, string field)
    {
        using var admin = await node.AdminAsync();
        var before = (await Ids(admin, "?limit=200")).Count;
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/exchanges", NodeFactory.Json(json)), field);
        Assert.Equal(before, (await Ids(admin, "?limit=200")).Count);
    }

    [Fact]
    public async Task A_read_only_token_neither_sends_nor_answers()
    {
        var steward = await node.CreateMemberAsync();
        var slug = await node.CreateDatasetAsync("public", grants: [(steward, "steward")]);
        var request = Incoming(slug);
        var (_, secret) = await node.CreatePatAsync(await node.AccessTokenAsync(steward, NodeFactory.MemberPassword), ["read"]);
        using var readOnly = node.Client(secret);
        Assert.Equal([request.Ref], await Ids(readOnly));
        await NodeFactory.ExpectProblem(await readOnly.PostAsync("/api/exchanges", NodeFactory.Json("""{"target":"rooms@peer.example","type":"place.book","body":{}}""")), 403);
        await NodeFactory.ExpectProblem(await readOnly.PostAsJsonAsync($"/api/exchanges/{request.Ref}/answer", new { accept = true }), 403);
        Assert.Equal(ExchangeState.Pending, node.Service<IExchangeStore>().Find(request.Id)!.State);
    }

    [Fact]
    public async Task A_steward_answers_a_pending_request_once_and_nothing_else()
    {
        var (steward, other) = (await node.CreateMemberAsync(), await node.CreateMemberAsync());
        var slug = await node.CreateDatasetAsync("public", grants: [(steward, "steward")]);
        var request = Incoming(slug);
        var sent = Outgoing(steward);
        using var client = await As(steward);
        using var otherClient = await As(other);

        await NodeFactory.ExpectProblem(await otherClient.PostAsJsonAsync($"/api/exchanges/{request.Ref}/answer", new { accept = true }), 404);
        await NodeFactory.ExpectValidation(await client.PostAsJsonAsync($"/api/exchanges/{request.Ref}/answer", new { accept = false, code = "Not A Code" }), "code");

        var answered = await NodeFactory.Expect(await client.PostAsJsonAsync($"/api/exchanges/{request.Ref}/answer", new { accept = false, detail = "closed" }), 200);
        Assert.Equal(("refused", "request_refused", "closed", steward), ((string?)answered["state"], (string?)answered["code"], (string?)answered["detail"], (string?)answered["answeredBy"]));
        var stored = node.Service<IExchangeStore>().Find(request.Id)!;
        Assert.Contains("\"type\":\"Reject\"", stored.SentJson);
        Assert.Contains("\"proof\"", stored.SentJson);

        var again = await NodeFactory.ExpectProblem(await client.PostAsJsonAsync($"/api/exchanges/{request.Ref}/answer", new { accept = true }), 409);
        Assert.Equal("exchange_not_pending", (string?)again["code"]);
        var outgoing = await NodeFactory.ExpectProblem(await client.PostAsJsonAsync($"/api/exchanges/{sent.Ref}/answer", new { accept = true }), 409);
        Assert.Equal("exchange_not_pending", (string?)outgoing["code"]);
        Assert.Equal(ExchangeState.Refused, node.Service<IExchangeStore>().Find(request.Id)!.State);
    }
}
