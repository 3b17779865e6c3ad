using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Node.Tests;

/// <summary>
/// A node with one member per role and one credential per way of failing, set up once for the whole matrix.
/// Dataset endpoints get a fresh dataset per case (made in-process, so a case that deletes cannot disturb another).
/// </summary>
public sealed class MatrixNode : IAsyncLifetime
{
    public NodeFactory Node { get; } = new();
    public Dictionary<string, string?> Bearer { get; } = new();
    public string TargetTokenId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        foreach (var u in new[] { "outsider", "viewer", "editor", "steward", "disabled", "target" })
            await Node.CreateMemberAsync(u);

        var admin = await Node.AccessTokenAsync("admin", NodeFactory.AdminPassword);
        Bearer["anonymous"] = null;
        Bearer["admin"] = admin;
        foreach (var u in new[] { "outsider", "viewer", "editor", "steward" })
            Bearer[u] = await Node.AccessTokenAsync(u, NodeFactory.MemberPassword);
        var steward = Bearer["steward"]!;

        Bearer["readPat"] = (await Node.CreatePatAsync(Bearer["editor"]!, ["read"])).Secret;
        Bearer["adminWritePat"] = (await Node.CreatePatAsync(admin, ["read", "write"])).Secret;
        Bearer["adminPat"] = (await Node.CreatePatAsync(admin, ["admin"])).Secret;
        TargetTokenId = (await Node.CreatePatAsync(await Node.AccessTokenAsync("target", NodeFactory.MemberPassword), ["read"])).Id;

        // The disabled member had a working JWT and PAT (and is steward of every matrix dataset) before being disabled.
        var disabledJwt = await Node.AccessTokenAsync("disabled", NodeFactory.MemberPassword);
        Bearer["disabledJwt"] = disabledJwt;
        Bearer["disabledPat"] = (await Node.CreatePatAsync(disabledJwt, ["write"])).Secret;
        await Works(disabledJwt);
        await Works(Bearer["disabledPat"]!);
        using (var client = Node.Client(admin))
            await NodeFactory.Expect(await client.PatchAsync("/api/members/disabled", NodeFactory.Json("""{"disabled":true}""")), 200);

        // The steward's tokens that stop working: one revoked, one expired (the clock moves; nobody waits).
        var revoked = await Node.CreatePatAsync(steward, ["write"]);
        await Works(revoked.Secret);
        using (var client = Node.Client(steward))
            await NodeFactory.Expect(await client.DeleteAsync($"/api/tokens/{revoked.Id}"), 204);
        Bearer["revokedPat"] = revoked.Secret;
        Bearer["expiredPat"] = (await Node.CreatePatAsync(steward, ["write"], Node.Clock.GetUtcNow().AddMinutes(1))).Secret;
        await Works(Bearer["expiredPat"]!);
        Node.Clock.Advance(TimeSpan.FromMinutes(2));
    }

    /// <summary>A credential that the matrix expects to fail must have worked before it was disabled, revoked or expired.</summary>
    private async Task Works(string bearer)
    {
        using var client = Node.Client(bearer);
        await NodeFactory.Expect(await client.GetAsync("/api/me"), 200);
    }

    /// <summary>A dataset with grants for viewer, editor, steward and the disabled member, and one record 'r1'.</summary>
    public Dataset MakeDataset(string policy)
    {
        var services = Node.Services;
        var adminMember = services.GetRequiredService<IMemberStore>().Find("admin")!;
        var admin = Caller.FromMember(adminMember, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
        var datasets = services.GetRequiredService<DatasetService>();
        var slug = Node.Unique("mx-");
        datasets.Create(admin, new DatasetDraft
        {
            Slug = slug,
            Title = new LocalizedText(null, null, Title(slug)),
            Description = new LocalizedText(null, null, "Described " + Title(slug)),
            Policy = Enum.Parse<SharingPolicy>(policy, ignoreCase: true),
        });
        datasets.SetGrant(admin, slug, "viewer", GrantRole.Viewer);
        datasets.SetGrant(admin, slug, "editor", GrantRole.Editor);
        datasets.SetGrant(admin, slug, "steward", GrantRole.Steward);
        var dataset = datasets.SetGrant(admin, slug, "disabled", GrantRole.Steward);
        using var data = JsonDocument.Parse("""{"name":"Secret record body"}""");
        services.GetRequiredService<RecordService>().Create(admin, slug, "r1", data.RootElement);
        return dataset;
    }

    /// <summary>One dataset per policy for the cases that change nothing (reads, and refusals: these check nothing changed).</summary>
    public Dataset Shared(string policy) => _shared.GetOrAdd(policy, p => new Lazy<Dataset>(() => MakeDataset(p))).Value;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Dataset>> _shared = new();

    public static string Title(string slug) => $"Hush-hush title {slug}";

    public Task DisposeAsync() => Node.DisposeAsync().AsTask();
}

public sealed class AuthorizationMatrixTests(MatrixNode fixture) : IClassFixture<MatrixNode>
{
    private enum Need { Read, Edit, Steward }

    private sealed record NodeEndpoint(string Method, string Route, Func<Context, string> Path, Func<Context, string?> Body, Func<Who, int> Expected);
    private sealed record DatasetEndpoint(string Method, string Route, string Suffix, string? Body, Need Need, int Ok);
    private sealed record Context(string Caller, string Unique, string TargetTokenId);

    /// <summary>What each caller is: 401 for the ones whose credential must not work.</summary>
    private sealed record Who(bool Authenticated, MemberRole Role, bool Write, bool AdminScope, GrantRole? Grant)
    {
        public bool Administer => Role == MemberRole.Admin && AdminScope;
    }

    private static readonly Dictionary<string, Who> Callers = new()
    {
        ["anonymous"] = new(false, MemberRole.Member, false, false, null),
        ["outsider"] = new(true, MemberRole.Member, true, false, null),
        ["viewer"] = new(true, MemberRole.Member, true, false, GrantRole.Viewer),
        ["editor"] = new(true, MemberRole.Member, true, false, GrantRole.Editor),
        ["steward"] = new(true, MemberRole.Member, true, false, GrantRole.Steward),
        ["admin"] = new(true, MemberRole.Admin, true, true, null),
        ["disabledJwt"] = new(false, MemberRole.Member, true, false, GrantRole.Steward),
        ["disabledPat"] = new(false, MemberRole.Member, true, false, GrantRole.Steward),
        ["expiredPat"] = new(false, MemberRole.Member, true, false, GrantRole.Steward),
        ["revokedPat"] = new(false, MemberRole.Member, true, false, GrantRole.Steward),
        // An editor's read-scope token, and an admin's tokens with and without the admin scope.
        ["readPat"] = new(true, MemberRole.Member, false, false, GrantRole.Editor),
        ["adminWritePat"] = new(true, MemberRole.Admin, true, false, null),
        ["adminPat"] = new(true, MemberRole.Admin, true, true, null),
    };

    private static int Authed(Who w, int status) => w.Authenticated ? status : 401;

    /// <summary>An exchange reference of the right shape (32 hex digits) that names nothing.</summary>
    private const string NoExchange = "00000000000000000000000000000000";

    private static readonly Dictionary<string, NodeEndpoint> NodeEndpoints = new()
    {
        ["GET /api/me"] = new("GET", "/api/me", _ => "/api/me", _ => null, w => Authed(w, 200)),
        // A wrong current password: an allowed caller reaches validation (400) and nothing changes.
        ["POST /api/me/password"] = new("POST", "/api/me/password", _ => "/api/me/password",
            _ => """{"currentPassword":"not-the-password-at-all","newPassword":"another-long-password"}""", w => Authed(w, w.Write ? 400 : 403)),
        ["GET /api/members"] = new("GET", "/api/members", _ => "/api/members", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        ["POST /api/members"] = new("POST", "/api/members", _ => "/api/members",
            c => $$"""{"username":"{{c.Unique}}","password":"{{NodeFactory.MemberPassword}}"}""", w => Authed(w, w.Administer ? 201 : 403)),
        ["GET /api/members/{username} (other)"] = new("GET", "/api/members/{username}", _ => "/api/members/target", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        ["GET /api/members/{username} (self)"] = new("GET", "/api/members/{username}", c => $"/api/members/{SelfName(c.Caller)}", _ => null, w => Authed(w, 200)),
        ["PATCH /api/members/{username}"] = new("PATCH", "/api/members/{username}", _ => "/api/members/target",
            _ => """{"displayName":"Target person"}""", w => Authed(w, w.Administer ? 200 : 403)),
        ["POST /api/members/{username}/reset-password"] = new("POST", "/api/members/{username}/reset-password", _ => "/api/members/target/reset-password",
            _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        ["GET /api/tokens"] = new("GET", "/api/tokens", _ => "/api/tokens", _ => null, w => Authed(w, 200)),
        ["POST /api/tokens"] = new("POST", "/api/tokens", _ => "/api/tokens",
            c => $$"""{"name":"{{c.Unique}}","scopes":["read"]}""", w => Authed(w, w.Write ? 201 : 403)),
        // Someone else's token: only an administrator (admin scope) may revoke it; for others it does not exist.
        ["DELETE /api/tokens/{id}"] = new("DELETE", "/api/tokens/{id}", c => $"/api/tokens/{c.TargetTokenId}", _ => null,
            w => Authed(w, !w.Write ? 403 : w.Administer ? 204 : 404)),
        ["GET /api/datasets"] = new("GET", "/api/datasets", _ => "/api/datasets", _ => null, w => Authed(w, 200)),
        ["POST /api/datasets"] = new("POST", "/api/datasets", _ => "/api/datasets",
            c => $$$"""{"slug":"{{{c.Unique}}}","title":{"en":"New"}}""", w => Authed(w, w.Write ? 201 : 403)),
        // Federation. Subscriptions are the node's: every member sees them, writers follow and unfollow.
        ["GET /api/subscriptions"] = new("GET", "/api/subscriptions", _ => "/api/subscriptions", _ => null, w => Authed(w, 200)),
        // Not a handle: an allowed caller reaches validation (400), nothing is followed.
        ["POST /api/subscriptions"] = new("POST", "/api/subscriptions", _ => "/api/subscriptions",
            _ => """{"target":"not a handle"}""", w => Authed(w, w.Write ? 400 : 403)),
        ["GET /api/subscriptions/{id}"] = new("GET", "/api/subscriptions/{id}", _ => "/api/subscriptions/none", _ => null, w => Authed(w, 404)),
        ["DELETE /api/subscriptions/{id}"] = new("DELETE", "/api/subscriptions/{id}", _ => "/api/subscriptions/none", _ => null, w => Authed(w, w.Write ? 404 : 403)),
        ["GET /api/subscriptions/{id}/records"] = new("GET", "/api/subscriptions/{id}/records", _ => "/api/subscriptions/none/records", _ => null, w => Authed(w, 404)),
        ["POST /api/subscriptions/{id}/verify"] = new("POST", "/api/subscriptions/{id}/verify", _ => "/api/subscriptions/none/verify", _ => null, w => Authed(w, w.Write ? 404 : 403)),
        ["GET /api/subscriptions/{id}/export"] = new("GET", "/api/subscriptions/{id}/export", _ => "/api/subscriptions/none/export", _ => null, w => Authed(w, 404)),
        ["GET /api/admin/deliveries"] = new("GET", "/api/admin/deliveries", _ => "/api/admin/deliveries", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        ["POST /api/admin/deliveries/{id}/retry"] = new("POST", "/api/admin/deliveries/{id}/retry", _ => "/api/admin/deliveries/none/retry", _ => null, w => Authed(w, w.Administer ? 404 : 403)),
        ["POST /api/admin/deliveries/retry-dead"] = new("POST", "/api/admin/deliveries/retry-dead", _ => "/api/admin/deliveries/retry-dead", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        ["DELETE /api/admin/deliveries/{id}"] = new("DELETE", "/api/admin/deliveries/{id}", _ => "/api/admin/deliveries/none", _ => null, w => Authed(w, w.Administer ? 404 : 403)),
        ["GET /api/admin/federation"] = new("GET", "/api/admin/federation", _ => "/api/admin/federation", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        // Not a domain: an administrator reaches validation (400), no rule changes.
        ["PUT /api/admin/federation"] = new("PUT", "/api/admin/federation", _ => "/api/admin/federation",
            _ => """{"blockedDomains":["not a domain"]}""", w => Authed(w, w.Administer ? 400 : 403)),
        // Exchanges: every member lists what the service lets them see; writers send. No such exchange: 404 for anyone
        // signed in (a hidden one answers the same); not a handle: a writer reaches validation (400), nothing is sent.
        ["GET /api/exchanges"] = new("GET", "/api/exchanges", _ => "/api/exchanges", _ => null, w => Authed(w, 200)),
        ["GET /api/exchanges/{id}"] = new("GET", "/api/exchanges/{id}", _ => $"/api/exchanges/{NoExchange}", _ => null, w => Authed(w, 404)),
        ["POST /api/exchanges"] = new("POST", "/api/exchanges", _ => "/api/exchanges",
            _ => """{"target":"not a handle","type":"test.claim","body":{}}""", w => Authed(w, w.Write ? 400 : 403)),
        ["POST /api/exchanges/{id}/answer"] = new("POST", "/api/exchanges/{id}/answer", _ => $"/api/exchanges/{NoExchange}/answer",
            _ => """{"accept":true}""", w => Authed(w, 404)),
        ["GET /api/admin/node"] = new("GET", "/api/admin/node", _ => "/api/admin/node", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        // A blank name: an administrator reaches validation (400), nothing is renamed.
        ["PUT /api/admin/node"] = new("PUT", "/api/admin/node", _ => "/api/admin/node", _ => """{"name":""}""", w => Authed(w, w.Administer ? 400 : 403)),
        ["GET /api/admin/modules"] = new("GET", "/api/admin/modules", _ => "/api/admin/modules", _ => null, w => Authed(w, w.Administer ? 200 : 403)),
        // No such module: an administrator reaches the lookup (404), nothing is switched.
        ["PUT /api/admin/modules/{name}"] = new("PUT", "/api/admin/modules/{name}", _ => "/api/admin/modules/none",
            _ => """{"enabled":true}""", w => Authed(w, w.Administer ? 404 : 403)),
    };

    private static string SelfName(string caller) => caller switch
    {
        "readPat" => "editor",
        "adminWritePat" or "adminPat" => "admin",
        "disabledJwt" or "disabledPat" => "disabled",
        "expiredPat" or "revokedPat" => "steward",
        "anonymous" => "admin",
        _ => caller,
    };

    private static readonly Dictionary<string, DatasetEndpoint> DatasetEndpoints = new()
    {
        ["GET /api/datasets/{slug}"] = new("GET", "/api/datasets/{slug}", "", null, Need.Read, 200),
        ["PATCH /api/datasets/{slug}"] = new("PATCH", "/api/datasets/{slug}", "", """{"description":{"en":"changed"}}""", Need.Steward, 200),
        ["DELETE /api/datasets/{slug}"] = new("DELETE", "/api/datasets/{slug}", "", null, Need.Steward, 204),
        ["PUT /api/datasets/{slug}/grants/{username}"] = new("PUT", "/api/datasets/{slug}/grants/{username}", "/grants/target", """{"role":"viewer"}""", Need.Steward, 200),
        ["DELETE /api/datasets/{slug}/grants/{username}"] = new("DELETE", "/api/datasets/{slug}/grants/{username}", "/grants/viewer", null, Need.Steward, 200),
        ["GET /api/datasets/{slug}/changes"] = new("GET", "/api/datasets/{slug}/changes", "/changes", null, Need.Read, 200),
        ["GET /api/datasets/{slug}/sharing/history"] = new("GET", "/api/datasets/{slug}/sharing/history", "/sharing/history", null, Need.Read, 200),
        ["GET /api/datasets/{slug}/records"] = new("GET", "/api/datasets/{slug}/records", "/records", null, Need.Read, 200),
        ["POST /api/datasets/{slug}/records"] = new("POST", "/api/datasets/{slug}/records", "/records", """{"data":{"name":"new"}}""", Need.Edit, 201),
        ["POST /api/datasets/{slug}/records/batch"] = new("POST", "/api/datasets/{slug}/records/batch", "/records/batch", """{"records":[{"data":{"name":"batched"}}]}""", Need.Edit, 200),
        ["GET /api/datasets/{slug}/records/{id}"] = new("GET", "/api/datasets/{slug}/records/{id}", "/records/r1", null, Need.Read, 200),
        ["PUT /api/datasets/{slug}/records/{id}"] = new("PUT", "/api/datasets/{slug}/records/{id}", "/records/r1", """{"data":{"name":"changed"}}""", Need.Edit, 200),
        ["DELETE /api/datasets/{slug}/records/{id}"] = new("DELETE", "/api/datasets/{slug}/records/{id}", "/records/r1", null, Need.Edit, 204),
        // Followers are a steward's business; answering a request that does not exist is a 404 once allowed.
        ["GET /api/datasets/{slug}/followers"] = new("GET", "/api/datasets/{slug}/followers", "/followers", null, Need.Steward, 200),
        ["POST /api/datasets/{slug}/followers/accept"] = new("POST", "/api/datasets/{slug}/followers/accept", "/followers/accept", """{"actor":"http://peer.example/actor"}""", Need.Steward, 404),
        ["POST /api/datasets/{slug}/followers/refuse"] = new("POST", "/api/datasets/{slug}/followers/refuse", "/followers/refuse", """{"actor":"http://peer.example/actor"}""", Need.Steward, 404),
        ["POST /api/datasets/{slug}/followers/remove"] = new("POST", "/api/datasets/{slug}/followers/remove", "/followers/remove", """{"actor":"http://peer.example/actor"}""", Need.Steward, 404),
        ["GET /api/datasets/{slug}/revocations"] = new("GET", "/api/datasets/{slug}/revocations", "/revocations", null, Need.Steward, 200),
    };

    /// <summary>The rules of the issue: hidden is 404 (never 403), shared-outside is readable, grants give their role, tokens their scope.</summary>
    private static int ExpectedFor(DatasetEndpoint e, Who w, string policy)
    {
        if (!w.Authenticated) return 401;
        var level = w.Role == MemberRole.Admin ? AccessLevel.Steward : w.Grant switch
        {
            GrantRole.Steward => AccessLevel.Steward,
            GrantRole.Editor => AccessLevel.Edit,
            GrantRole.Viewer => AccessLevel.Read,
            _ => policy == "private" ? AccessLevel.None : AccessLevel.Read,
        };
        var needed = e.Need switch { Need.Read => AccessLevel.Read, Need.Edit => AccessLevel.Edit, _ => AccessLevel.Steward };
        if (level == AccessLevel.None) return 404;
        if (level < needed) return 403;
        if (needed > AccessLevel.Read && !w.Write) return 403;
        return e.Ok;
    }

    public static IEnumerable<object[]> NodeCases() =>
        from e in NodeEndpoints from c in Callers select new object[] { e.Key, c.Key, e.Value.Expected(c.Value) };

    public static IEnumerable<object[]> DatasetCases() =>
        from policy in new[] { "private", "peers", "public" }
        from e in DatasetEndpoints
        from c in Callers
        select new object[] { e.Key, c.Key, policy, ExpectedFor(e.Value, c.Value, policy) };

    [Theory]
    [MemberData(nameof(NodeCases))]
    public async Task Node_endpoint(string endpoint, string caller, int expected)
    {
        var e = NodeEndpoints[endpoint];
        var context = new Context(caller, fixture.Node.Unique("mxn"), fixture.TargetTokenId);
        using var response = await Send(caller, e.Method, e.Path(context), e.Body(context));
        await CheckStatus(response, expected);
    }

    [Theory]
    [MemberData(nameof(DatasetCases))]
    public async Task Dataset_endpoint(string endpoint, string caller, string policy, int expected)
    {
        var e = DatasetEndpoints[endpoint];
        // A write that should succeed gets a dataset of its own; everything else shares one (and must leave it as it was).
        var dataset = e.Method != "GET" && expected < 400 ? fixture.MakeDataset(policy) : fixture.Shared(policy);
        var before = Snapshot(dataset);
        using var response = await Send(caller, e.Method, $"/api/datasets/{dataset.Slug}{e.Suffix}", e.Body);
        var body = await CheckStatus(response, expected);

        if (expected is 404 or 401 || policy == "private" && expected >= 400)
        {
            Assert.DoesNotContain(MatrixNode.Title(dataset.Slug), body);
            Assert.DoesNotContain("Secret record body", body);
        }
        if (expected >= 400) Assert.Equal(before, Snapshot(dataset));
    }

    [Theory]
    [MemberData(nameof(ListingCases))]
    public async Task Dataset_listing_shows_a_dataset_only_to_who_may_read_it(string caller, string policy, bool listed)
    {
        var dataset = fixture.Shared(policy);
        using var response = await Send(caller, "GET", "/api/datasets", null);
        var body = await response.Content.ReadAsStringAsync();
        if (!Callers[caller].Authenticated)
        {
            await CheckStatus(response, 401);
            return;
        }
        Assert.Equal(200, (int)response.StatusCode);
        var slugs = JsonNode.Parse(body)!.AsArray().Select(d => (string)d!["slug"]!).ToList();
        Assert.Equal(listed, slugs.Contains(dataset.Slug));
        if (!listed) Assert.DoesNotContain(MatrixNode.Title(dataset.Slug), body);
    }

    public static IEnumerable<object[]> ListingCases() =>
        from policy in new[] { "private", "peers", "public" }
        from c in Callers
        select new object[] { c.Key, policy, c.Value.Authenticated && ExpectedFor(DatasetEndpoints["GET /api/datasets/{slug}"], c.Value, policy) == 200 };

    [Fact]
    public async Task A_hidden_dataset_answers_exactly_like_a_missing_one()
    {
        var dataset = fixture.MakeDataset("private");
        foreach (var suffix in new[] { "", "/records", "/records/r1", "/changes" })
        {
            using var hidden = await Send("outsider", "GET", $"/api/datasets/{dataset.Slug}{suffix}", null);
            using var missing = await Send("outsider", "GET", $"/api/datasets/no-such-dataset{suffix}", null);
            var h = (await NodeFactory.ExpectProblem(hidden, 404)).ToJsonString().Replace(dataset.Slug, "SLUG");
            var m = (await NodeFactory.ExpectProblem(missing, 404)).ToJsonString().Replace("no-such-dataset", "SLUG");
            Assert.Equal(RemoveTraceId(m), RemoveTraceId(h));
        }
    }

    /// <summary>The matrix covers every /api endpoint the node maps (sign-in and refresh are anonymous by design; modules' APIs are tested by their modules).</summary>
    [Fact]
    public void The_matrix_lists_every_member_api_endpoint()
    {
        var mapped = fixture.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.StartsWith("/api/auth/", StringComparison.Ordinal))
            // A module's API is its own project's to test (docs/modules.md); the host only mounts it.
            .Where(e => e.Metadata.GetMetadata<Hosting.Modules.ModuleEndpoint>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();
        var covered = NodeEndpoints.Values.Select(e => $"{e.Method} {e.Route}").Concat(DatasetEndpoints.Values.Select(e => $"{e.Method} {e.Route}")).ToHashSet();
        Assert.Empty(mapped.Except(covered));
        Assert.Empty(covered.Except(mapped));
    }

    private static string RemoveTraceId(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private (long Version, int Grants, long Records, long LastSeq, long? R1Revision, string? R1Data) Snapshot(Dataset d)
    {
        var services = fixture.Node.Services;
        var stored = services.GetRequiredService<IDatasetStore>().Find(d.Slug);
        var record = services.GetRequiredService<IRecordStore>().Get(d.Key, "r1");
        return (stored?.Version ?? -1, stored?.Grants.Count ?? -1, services.GetRequiredService<IRecordStore>().Count(d.Key),
            services.GetRequiredService<IChangeFeed>().LastSeq(d.Key), record?.Revision, record is { Deleted: false } ? record.Data.GetRawText() : null);
    }

    private async Task<HttpResponseMessage> Send(string caller, string method, string path, string? body)
    {
        using var client = fixture.Node.Client(fixture.Bearer[caller]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = NodeFactory.Json(body);
        return await client.SendAsync(request);
    }

    private static async Task<string> CheckStatus(HttpResponseMessage response, int expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected,
            $"expected {expected}, got {(int)response.StatusCode} for {response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}: {body}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.Equal(expected, (int)problem["status"]!);
            Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        }
        return body;
    }
}
