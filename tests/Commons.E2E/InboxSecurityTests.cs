using System.Text;
using System.Text.Json.Nodes;
using Commons.E2E.Support;
using Commons.Federation.Signatures;

namespace Commons.E2E;

/// <summary>
/// A real node's inbox over HTTP, posted to by fake remote actors (their own RSA keys, served from a tiny actor
/// server): only a valid signature of the activity's own actor, made within the hour, is accepted; a duplicate is
/// acknowledged and processed once.
/// </summary>
public sealed class InboxSecurityTests : IAsyncLifetime
{
    private TestNode _a = null!;
    private FakeActorServer _remote = null!;

    public async Task InitializeAsync()
    {
        _a = await TestNode.StartAsync();
        _remote = await FakeActorServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _remote.DisposeAsync();
        await _a.DisposeAsync();
    }

    private Uri SharedInbox => new($"{_a.Url}/inbox");

    private static string Follow(FakeActor actor, string id, string target) => new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}#follows/{id}",
        ["type"] = "Follow",
        ["actor"] = actor.Id,
        ["object"] = target,
    }.ToJsonString();

    private async Task<int> Send(HttpRequestMessage request)
    {
        using var client = new HttpClient();
        using (request)
        {
            var response = await client.SendAsync(request);
            return (int)response.StatusCode;
        }
    }

    [Fact]
    public async Task Unsigned_activity_is_refused_with_401()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var x = _remote.Actor("x");
        var request = new HttpRequestMessage(HttpMethod.Post, SharedInbox) { Content = new StringContent(Follow(x, "unsigned", _a.DatasetActor(slug)), Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/activity+json");
        Assert.Equal(401, await Send(request));
        Assert.Empty(await _a.FollowersAsync(slug));
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Tampered_body_is_refused_with_401(HttpSignatureScheme scheme)
    {
        var slug = await _a.CreateDatasetAsync("public");
        var x = _remote.Actor("x");
        var request = await x.SignedPostAsync(SharedInbox, Follow(x, $"tampered-{scheme}", _a.DatasetActor(slug)), scheme);
        // Same headers (signature, digest), another body: the follow now targets another dataset.
        var other = await _a.CreateDatasetAsync("public");
        request.Content = new StringContent(Follow(x, $"tampered-{scheme}", _a.DatasetActor(other)), Encoding.UTF8);
        request.Content.Headers.ContentType = new("application/activity+json");
        Assert.Equal(401, await Send(request));
        Assert.Empty(await _a.FollowersAsync(slug));
        Assert.Empty(await _a.FollowersAsync(other));
    }

    [Fact]
    public async Task Signature_by_another_actor_than_the_activity_names_is_refused_with_401()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var x = _remote.Actor("x");
        var y = _remote.Actor("y");
        // Signed (validly) with X's key, but the activity claims to be Y's.
        var request = await x.SignedPostAsync(SharedInbox, Follow(y, "impersonated", _a.DatasetActor(slug)));
        Assert.Equal(401, await Send(request));
        Assert.Empty(await _a.FollowersAsync(slug));
    }

    [Theory]
    [InlineData(HttpSignatureScheme.Rfc9421)]
    [InlineData(HttpSignatureScheme.Cavage12)]
    public async Task Signature_two_hours_old_is_refused_with_401(HttpSignatureScheme scheme)
    {
        var slug = await _a.CreateDatasetAsync("public");
        var x = _remote.Actor("x");
        var request = await x.SignedPostAsync(SharedInbox, Follow(x, $"old-{scheme}", _a.DatasetActor(slug)), scheme, DateTimeOffset.UtcNow.AddHours(-2));
        Assert.Equal(401, await Send(request));
        Assert.Empty(await _a.FollowersAsync(slug));
    }

    [Fact]
    public async Task Duplicate_activity_is_acknowledged_and_processed_once()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var marker = await _a.CreateDatasetAsync("public");
        var x = _remote.Actor("dup");
        var follow = Follow(x, "once", _a.DatasetActor(slug));

        // The same activity twice, signed afresh each time (once per scheme), to the shared inbox and to the dataset's inbox.
        Assert.Equal(202, await Send(await x.SignedPostAsync(SharedInbox, follow, HttpSignatureScheme.Rfc9421)));
        Assert.Equal(202, await Send(await x.SignedPostAsync(new Uri($"{_a.DatasetActor(slug)}/inbox"), follow, HttpSignatureScheme.Cavage12)));
        Assert.Equal("accepted", (await Wait.ForAsync(() => _a.FollowersAsync(slug), f => f.ContainsKey(x.Id), "X to become a follower"))[x.Id]);

        // A second Follow, sent after both: once its Accept is back and A's queue is empty, every answer to the first is back too.
        Assert.Equal(202, await Send(await x.SignedPostAsync(SharedInbox, Follow(x, "marker", _a.DatasetActor(marker)))));
        await Wait.UntilAsync(() => Task.FromResult(AcceptsOf(x, "marker") == 1), "the Accept of the marker Follow");
        await Wait.UntilAsync(async () =>
        {
            using var admin = await _a.AdminAsync();
            return (await Http.Expect(await admin.GetAsync("/api/admin/deliveries"), 200))["items"]!.AsArray().Count == 0;
        }, "A's delivery queue to drain");
        Assert.Equal(1, AcceptsOf(x, "once"));
    }

    private int AcceptsOf(FakeActor actor, string followSuffix) => _remote.Received.Count(r =>
        r.Actor == actor.Name && (string?)r.Activity["type"] == "Accept"
        && (r.Activity["object"] is JsonObject o ? (string?)o["id"] : (string?)r.Activity["object"]) == $"{actor.Id}#follows/{followSuffix}");

    [Fact]
    public async Task Approval_dataset_objects_need_a_signed_fetch_by_an_accepted_follower()
    {
        var slug = await _a.CreateDatasetAsync("approval", excludedFields: ["email"]);
        await _a.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "Room", ["email"] = "hidden@example.org" });
        var follower = _remote.Actor("follower");
        var stranger = _remote.Actor("stranger");
        Assert.Equal(202, await Send(await follower.SignedPostAsync(SharedInbox, Follow(follower, "1", _a.DatasetActor(slug)))));
        await Wait.ForAsync(() => _a.FollowersAsync(slug, "pending"), f => f.ContainsKey(follower.Id), "the request to be pending");
        await Http.Expect(await _a.StewardAsync(slug, "accept", follower.Id), 200);

        var record = new Uri($"{_a.DatasetActor(slug)}/records/r1");
        var outbox = new Uri($"{_a.DatasetActor(slug)}/outbox?page=0");
        using var anonymous = _a.Anonymous();
        foreach (var path in new[] { record, outbox, new Uri($"{_a.DatasetActor(slug)}/outbox"), new Uri($"{_a.DatasetActor(slug)}/followers") })
        {
            Assert.Equal(404, (int)(await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(404, await Send(stranger.SignedGet(path)));
        }
        // The actor and its discovery stay reachable: a peer must see the dataset to ask to follow it.
        var actor = await anonymous.GetAsync($"/datasets/{slug}");
        Assert.Equal(200, (int)actor.StatusCode);
        Assert.Equal("application/activity+json", actor.Content.Headers.ContentType?.MediaType);
        Assert.Equal(200, (int)(await anonymous.GetAsync($"/.well-known/webfinger?resource=acct:{_a.Handle(slug)}")).StatusCode);

        // The accepted follower reads them, in both signature specs.
        foreach (var scheme in new[] { HttpSignatureScheme.Rfc9421, HttpSignatureScheme.Cavage12 })
        {
            using var client = new HttpClient();
            var response = await client.SendAsync(follower.SignedGet(record, scheme));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{scheme}: {(int)response.StatusCode} {body}");
            var note = JsonNode.Parse(body)!;
            Assert.Equal("Note", (string?)note["type"]);
            Assert.Equal("Room", (string?)note["commons:data"]!["name"]);
            Assert.DoesNotContain("hidden@example.org", body);
            Assert.Equal(200, await Send(follower.SignedGet(outbox, scheme)));
        }
    }

    [Fact]
    public async Task Public_dataset_record_is_readable_unsigned_as_a_note()
    {
        var slug = await _a.CreateDatasetAsync("public", excludedFields: ["email"]);
        await _a.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "Tool library", ["email"] = "hidden@example.org" });
        await _a.CreateRecordAsync(slug, "internal", new JsonObject { ["name"] = "Not shared" }, shared: false);
        using var anonymous = _a.Anonymous();
        anonymous.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/activity+json");

        var response = await anonymous.GetAsync($"/datasets/{slug}/records/r1");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType?.MediaType);
        var note = JsonNode.Parse(body)!;
        Assert.Equal("Note", (string?)note["type"]);
        Assert.Equal($"{_a.DatasetActor(slug)}/records/r1", (string?)note["id"]);
        Assert.Equal(_a.DatasetActor(slug), (string?)note["attributedTo"]);
        Assert.Equal("Tool library", (string?)note["name"]);
        Assert.Equal(1, (long)note["commons:revision"]!);
        Assert.Equal("Tool library", (string?)note["commons:data"]!["name"]);
        Assert.DoesNotContain("hidden@example.org", body);
        Assert.False(string.IsNullOrWhiteSpace((string?)note["content"]));

        Assert.Equal(404, (int)(await anonymous.GetAsync($"/datasets/{slug}/records/internal")).StatusCode);
        Assert.Equal(200, (int)(await anonymous.GetAsync($"/datasets/{slug}/outbox")).StatusCode);
        await _a.DeleteRecordAsync(slug, "r1");
        Assert.Equal(410, (int)(await anonymous.GetAsync($"/datasets/{slug}/records/r1")).StatusCode);
    }
}
