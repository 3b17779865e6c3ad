using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.E2E.Support;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Replication;

namespace Commons.E2E;

/// <summary>
/// Requests between two real nodes (spec §11): a member of B asks a dataset of A; A's kind decides under its rule and
/// answers through the delivery queue, signed and proven by the dataset; both sides keep the exchange. B gives up on a
/// request to a test.slots dataset after 3 seconds.
/// </summary>
public sealed class ExchangeTests : IAsyncLifetime
{
    private TestNode A = null!;
    private TestNode B = null!;

    public async Task InitializeAsync()
    {
        A = await TestNode.StartAsync(services: SlotRequests.AddTo);
        B = await TestNode.StartAsync(new Dictionary<string, string> { [$"Exchanges:Timeouts:{SlotRequests.Kind}"] = "00:00:03" });
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    private static async Task<JsonObject> SendAsync(TestNode node, string target, JsonObject body, string type = SlotRequests.Claim)
    {
        using var admin = await node.AdminAsync();
        return await Http.Expect(await admin.PostAsync("/api/exchanges", Http.Json(new JsonObject { ["target"] = target, ["type"] = type, ["body"] = body })), 201);
    }

    private static async Task<JsonObject> ExchangeAsync(TestNode node, string id)
    {
        using var admin = await node.AdminAsync();
        return await Http.Expect(await admin.GetAsync($"/api/exchanges/{id}"), 200);
    }

    private static Task<JsonObject> StateAsync(TestNode node, string id, string state) =>
        Wait.ForAsync(() => ExchangeAsync(node, id), e => (string?)e["state"] == state, $"exchange {id} to be {state}");

    private static async Task<List<JsonObject>> IncomingAsync(TestNode node)
    {
        using var admin = await node.AdminAsync();
        var page = await Http.Expect(await admin.GetAsync("/api/exchanges?direction=incoming"), 200);
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    private static async Task<int> RecordCountAsync(TestNode node, string slug)
    {
        using var admin = await node.AdminAsync();
        var page = await Http.Expect(await admin.GetAsync($"/api/datasets/{slug}/records?limit=500"), 200);
        return page["items"]!.AsArray().Count;
    }

    [Fact]
    public async Task A_request_is_accepted_then_a_conflicting_one_refused_with_the_rules_code_on_both_sides()
    {
        var slug = SlotRequests.CreateDataset(A);
        var sent = await SendAsync(B, A.Handle(slug), new JsonObject { ["slot"] = "mon-9" });
        Assert.Equal(("outgoing", "pending", SlotRequests.Kind), ((string?)sent["direction"], (string?)sent["state"], (string?)sent["kind"]));
        Assert.NotNull(sent["expiresAt"]);

        var accepted = await StateAsync(B, (string)sent["id"]!, "accepted");
        var recordId = (string)accepted["result"]!["record"]!;
        using (var admin = await A.AdminAsync())
        {
            var record = await Http.Expect(await admin.GetAsync($"/api/datasets/{slug}/records/{recordId}"), 200);
            Assert.Equal(B.NodeActor, (string?)record["createdBy"]);
        }
        var incoming = Assert.Single(await IncomingAsync(A));
        Assert.Equal(((string?)sent["requestId"], "accepted", slug), ((string?)incoming["requestId"], (string?)incoming["state"], (string?)incoming["dataset"]));

        var second = await SendAsync(B, A.DatasetActor(slug), new JsonObject { ["slot"] = "mon-9" });
        var refused = await StateAsync(B, (string)second["id"]!, "refused");
        Assert.Equal(SlotRequests.Taken, (string?)refused["code"]);
        Assert.Equal(1, await RecordCountAsync(A, slug));
        var onA = await Wait.ForAsync(() => IncomingAsync(A), l => l.Count == 2, "A to keep both exchanges");
        Assert.Equal(SlotRequests.Taken, (string?)onA.Single(e => (string?)e["state"] == "refused")["code"]);

        using var adminB = await B.AdminAsync();
        var refusedList = await Http.Expect(await adminB.GetAsync("/api/exchanges?state=refused"), 200);
        Assert.Equal((string?)second["id"], (string?)Assert.Single(refusedList["items"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task A_request_left_unanswered_expires_on_B_and_a_late_answer_is_kept_without_changing_it()
    {
        var slug = SlotRequests.CreateDataset(A);
        var sent = await SendAsync(B, A.Handle(slug), new JsonObject { ["slot"] = "tue-9", ["wait"] = true });
        var onA = await Wait.ForAsync(() => IncomingAsync(A), l => l.Count == 1, "A to hold the request, pending");
        Assert.Equal("pending", (string?)onA[0]["state"]);

        var expired = await StateAsync(B, (string)sent["id"]!, "expired");
        Assert.False((bool)expired["lateAnswer"]!);

        using (var admin = await A.AdminAsync())
        {
            var answered = await Http.Expect(await admin.PostAsJsonAsync($"/api/exchanges/{onA[0]["id"]}/answer", new { accept = false, code = "closed_today", detail = "closed" }), 200);
            Assert.Equal(("refused", "closed_today"), ((string?)answered["state"], (string?)answered["code"]));
            var again = await admin.PostAsJsonAsync($"/api/exchanges/{onA[0]["id"]}/answer", new { accept = true });
            Assert.Equal("exchange_not_pending", (string?)(await Http.Expect(again, 409))["code"]);
        }
        var late = await Wait.ForAsync(() => ExchangeAsync(B, (string)sent["id"]!), e => (bool)e["lateAnswer"]!, "B to keep the late answer");
        Assert.Equal(("expired", null), ((string?)late["state"], (string?)late["code"]));
    }

    [Fact]
    public async Task A_replayed_request_gets_the_same_answer_again_and_changes_nothing()
    {
        var slug = SlotRequests.CreateDataset(A);
        var sent = await SendAsync(B, A.Handle(slug), new JsonObject { ["slot"] = "wed-9" });
        await StateAsync(B, (string)sent["id"]!, "accepted");
        var before = Assert.Single(await IncomingAsync(A));
        var answerId = A.Deliveries.All.Single(d => d.Type == "Accept" && d.ActivityId!.Contains("#answers/", StringComparison.Ordinal)).ActivityId;

        // The very request again, signed anew by B's node: A holds its id already.
        var request = JsonNode.Parse(B.Service<IExchangeStore>().Find((string)sent["requestId"]!)!.SentJson!)!.AsObject();
        Assert.Equal(202, await PostAsB(A.DatasetActor(slug) + "/inbox", request));
        await Wait.UntilAsync(() => Task.FromResult(A.Deliveries.All.Count(d => d.ActivityId == answerId) >= 2), "A to answer the replay");

        Assert.Equal(1, await RecordCountAsync(A, slug));
        var after = Assert.Single(await IncomingAsync(A));
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.Equal("accepted", (string?)(await ExchangeAsync(B, (string)sent["id"]!))["state"]);
    }

    [Fact]
    public async Task Forged_requests_are_refused_and_leave_nothing_on_A()
    {
        var slug = SlotRequests.CreateDataset(A);
        var inbox = A.DatasetActor(slug) + "/inbox";
        var uris = B.Service<ActivityUris>();
        var proofs = B.Service<ObjectProofs>();
        JsonObject Offer(string slot) => ExchangeActivities.Request(uris.NodeActor, A.DatasetActor(slug), SlotRequests.Claim,
            System.Text.Json.JsonDocument.Parse($$"""{"slot":"{{slot}}"}""").RootElement, Guid.NewGuid(), DateTimeOffset.UtcNow);

        // Signed by a key that is not the node actor's: 401, never stored.
        var badSignature = proofs.Sign(ActorKeyring.NodeActor, Offer("thu-9"));
        Assert.Equal(401, await PostAsB(inbox, badSignature, signWith: "forger"));

        // HTTP-signed by B's node, but the proof is by another actor of B (a dataset's key): stored in the inbox, refused.
        var otherProof = proofs.Sign("someone-else", Offer("thu-10"));
        Assert.Equal(202, await PostAsB(inbox, otherProof));
        // And one with no proof at all.
        var noProof = Offer("thu-11");
        Assert.Equal(202, await PostAsB(inbox, noProof));

        var inboxStore = A.Service<IInboxStore>();
        await Wait.UntilAsync(() => Task.FromResult(inboxStore.Unprocessed(100).Count == 0), "A to process its inbox");
        var exchanges = A.Service<IExchangeStore>();
        foreach (var forged in new[] { badSignature, otherProof, noProof })
            Assert.Null(exchanges.Find((string)forged["id"]!));
        Assert.Empty(await IncomingAsync(A));
        Assert.Equal(0, await RecordCountAsync(A, slug));
        Assert.DoesNotContain(A.Deliveries.All, d => d.Type is "Accept" or "Reject");
    }

    /// <summary>Posts <paramref name="activity"/> to A as B's node would, HTTP-signed by B's node key (or, to forge, another key under its key id).</summary>
    private async Task<int> PostAsB(string inbox, JsonObject activity, string signWith = ActorKeyring.NodeActor)
    {
        var keyring = B.Service<ActorKeyring>();
        var keyId = ActivityUris.KeyId(B.NodeActor, keyring.For(ActorKeyring.NodeActor).RsaFragment);
        var outcome = await B.Service<SignedActivitySender>().PostAsync(new Uri(inbox), Encoding.UTF8.GetBytes(activity.ToJsonString()), keyring.For(signWith).Rsa, keyId, CancellationToken.None);
        return outcome.StatusCode ?? 0;
    }
}
