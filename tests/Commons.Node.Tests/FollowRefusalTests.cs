using System.Text.Json;
using Commons.Core.Federation;
using Commons.Node.Tests.Cli;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Node.Tests;

/// <summary>A node allowed to reach 127.0.0.1 peers (Federation:AllowPrivateNetworks), as in local federation tests.</summary>
public sealed class FederatingNodeFactory : NodeFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Federation:AllowPrivateNetworks", "true")];
}

/// <summary>
/// Following an ordinary ActivityPub account (a <c>Person</c> on a real HTTP server on 127.0.0.1, whose outbox pages by
/// cursor) through the API: refused with a problem document naming the reason, nothing stored, its outbox never asked.
/// A subscription whose backfill stopped shows its state and reason in the API and on its page.
/// </summary>
public sealed class FollowRefusalTests(FederatingNodeFactory node) : IClassFixture<FederatingNodeFactory>, IAsyncLifetime
{
    private WebApplication? _peer;
    private string _base = "";
    private int _outboxRequests;

    public async Task InitializeAsync()
    {
        var port = NodeProcess.FreePort();
        _base = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_base);
        builder.Logging.ClearProviders();
        _peer = builder.Build();
        _peer.MapGet("/users/alice", () => Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["@context"] = new[] { "https://www.w3.org/ns/activitystreams" },
            ["id"] = $"{_base}/users/alice", ["type"] = "Person", ["preferredUsername"] = "alice",
            ["inbox"] = $"{_base}/users/alice/inbox", ["outbox"] = $"{_base}/users/alice/outbox",
        }), "application/activity+json"));
        _peer.MapGet("/users/alice/outbox", () =>
        {
            Interlocked.Increment(ref _outboxRequests);
            return Results.Text($$"""{"type":"OrderedCollectionPage","next":"{{_base}}/users/alice/outbox?max_id=1","orderedItems":[]}""", "application/activity+json");
        });
        await _peer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_peer is not null) await _peer.DisposeAsync();
    }

    [Fact]
    public async Task Following_a_person_is_a_400_problem_saying_it_is_not_a_dataset_and_nothing_is_stored()
    {
        var admin = await node.AdminAsync();

        var problem = await NodeFactory.ExpectValidation(
            await admin.PostAsync("/api/subscriptions", NodeFactory.Json($$"""{"target":"{{_base}}/users/alice"}""")), "target");

        Assert.Contains("not a Commons dataset", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("Person", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("not_a_dataset", (string?)problem["code"]);
        var list = await NodeFactory.Expect(await admin.GetAsync("/api/subscriptions"), 200);
        Assert.DoesNotContain($"{_base}/users/alice", list.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _outboxRequests));
    }

    [Fact]
    public async Task A_stopped_backfill_shows_its_state_and_reason_in_the_api()
    {
        var admin = await node.AdminAsync();
        var id = Guid.NewGuid().ToString("N");
        node.Service<ISubscriptionStore>().Upsert(new Subscription
        {
            Id = id, DatasetActor = $"{_base}/datasets/gone-{id}", Inbox = $"{_base}/inbox", FollowActivityId = $"{node.Address}actor#follows/{id}",
            State = SubscriptionState.Stopped, RequestedBy = "admin", Since = node.Clock.GetUtcNow(), ChangedAt = node.Clock.GetUtcNow(),
            Reason = "backfill stopped: the outbox answered 410", BackfillError = "the outbox answered 410", BackfillFailures = 1,
        });

        var s = await NodeFactory.Expect(await admin.GetAsync($"/api/subscriptions/{id}"), 200);

        Assert.Equal("stopped", (string?)s["state"]);
        Assert.Equal("backfill stopped: the outbox answered 410", (string?)s["reason"]);
        Assert.Equal("the outbox answered 410", (string?)s["backfillError"]);
    }
}
