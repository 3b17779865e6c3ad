using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// Published views between two real nodes over HTTP on 127.0.0.1, with real signatures: A serves the probe's view
/// <c>echo</c> of its <c>probe.slots</c> datasets to whom the dataset's policy admits — anyone for a public dataset, B's
/// signed fetch once A accepted B's follow and no longer once A removed it — and answers everything else, including a
/// view that does not exist or whose module is off, with the 404 of a dataset that does not exist.
/// </summary>
public sealed class DatasetViewTests(ViewNodes nodes) : IClassFixture<ViewNodes>
{
    private FederatingProbeNode A => nodes.A;
    private FederatingProbeNode B => nodes.B;

    private static readonly IReadOnlyDictionary<string, string> NoQuery = new Dictionary<string, string>();

    private Task<JsonElement> FetchFromB(string slug, IReadOnlyDictionary<string, string>? query = null, string view = "echo") =>
        B.Service<IRemoteDatasetViews>().FetchAsync(A.DatasetActor(slug), view, query ?? NoQuery, CancellationToken.None);

    private async Task<JsonObject> Actor(string slug)
    {
        using var client = A.Client();
        return await NodeFactory.Expect(await client.GetAsync($"/datasets/{slug}"), 200);
    }

    [Fact]
    public async Task A_public_datasets_view_is_read_unsigned_and_its_actor_names_it()
    {
        var slug = await A.SlotsAsync("public");
        using var anyone = A.Client();
        var response = await anyone.GetAsync($"/datasets/{slug}/views/echo?day=2026-12-07&room=salle%20A");
        var body = await NodeFactory.Expect(response, 200);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal((slug, "echo", null, null), ((string?)body["dataset"], (string?)body["view"], (string?)body["fetcher"], (string?)body["host"]));
        Assert.Equal(("2026-12-07", "salle A"), ((string?)body["query"]!["day"], (string?)body["query"]!["room"]));

        Assert.Equal($"{A.DatasetActor(slug)}/views/echo", (string?)(await Actor(slug))["commons:views"]!["echo"]);
        var custom = await A.CreateDatasetAsync("public");
        Assert.Null((await Actor(custom))["commons:views"]);

        // Signed by B, a public dataset's view knows who asks.
        var signed = await FetchFromB(slug);
        Assert.Equal((B.NodeActor, $"127.0.0.1:{B.Port}"), (signed.GetProperty("fetcher").GetString(), signed.GetProperty("host").GetString()));
    }

    [Fact]
    public async Task A_followers_datasets_view_is_for_an_accepted_follower_only_and_no_longer_once_removed()
    {
        var slug = await A.SlotsAsync("approval");
        using var anyone = A.Client();
        await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{slug}/views/echo"), 404);
        Assert.Equal(ProblemCodes.NotFound, (await Assert.ThrowsAsync<NotFoundException>(() => FetchFromB(slug))).Code);

        using var bAdmin = await B.AdminAsync();
        var subscription = await NodeFactory.Expect(await bAdmin.PostAsync("/api/subscriptions", NodeFactory.Json(new JsonObject { ["target"] = A.DatasetActor(slug) })), 201);
        Assert.Equal("probe.slots", (string?)subscription["kind"]);
        using var aAdmin = await A.AdminAsync();
        await ViewNodes.Eventually(async () => await NodeFactory.Expect(await aAdmin.GetAsync($"/api/datasets/{slug}/followers"), 200),
            list => list["items"]!.AsArray().Any(f => (string?)f!["actor"] == B.NodeActor), "B's follow at A");
        // Asked but not accepted yet: still nothing.
        await Assert.ThrowsAsync<NotFoundException>(() => FetchFromB(slug));

        await NodeFactory.Expect(await aAdmin.PostAsync($"/api/datasets/{slug}/followers/accept", NodeFactory.Json(new JsonObject { ["actor"] = B.NodeActor })), 200);
        var seen = await FetchFromB(slug, new Dictionary<string, string> { ["from"] = "9:00" });
        Assert.Equal((B.NodeActor, $"127.0.0.1:{B.Port}", "9:00"),
            (seen.GetProperty("fetcher").GetString(), seen.GetProperty("host").GetString(), seen.GetProperty("query").GetProperty("from").GetString()));
        await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{slug}/views/echo"), 404);

        await NodeFactory.Expect(await aAdmin.PostAsync($"/api/datasets/{slug}/followers/remove", NodeFactory.Json(new JsonObject { ["actor"] = B.NodeActor })), 204);
        await Assert.ThrowsAsync<NotFoundException>(() => FetchFromB(slug));
    }

    [Fact]
    public async Task A_private_dataset_an_unknown_view_a_view_without_answer_and_a_view_whose_module_is_off_are_not_found()
    {
        var open = await A.SlotsAsync("public");
        var closed = await A.SlotsAsync("private");
        using var anyone = A.Client();
        foreach (var path in new[]
        {
            $"/datasets/{closed}/views/echo", $"/datasets/{open}/views/other", $"/datasets/{open}/views/echo?missing=1", "/datasets/nothing-here/views/echo",
            $"/datasets/{await A.CreateDatasetAsync("public")}/views/echo",
        })
            Assert.Equal(ProblemCodes.NotFound, (string?)(await NodeFactory.ExpectProblem(await anyone.GetAsync(path), 404))["code"]);

        await A.SwitchAsync(false);
        try
        {
            await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{open}/views/echo"), 404);
            Assert.Null((await Actor(open))["commons:views"]);
            await Assert.ThrowsAsync<NotFoundException>(() => FetchFromB(open));
        }
        finally
        {
            await A.SwitchAsync(true);
        }
        await NodeFactory.Expect(await anyone.GetAsync($"/datasets/{open}/views/echo"), 200);
    }

    [Fact]
    public async Task Too_many_parameters_or_too_long_a_value_is_invalid_and_a_views_own_error_keeps_its_code()
    {
        var slug = await A.SlotsAsync("public");
        using var anyone = A.Client();
        var seventeen = string.Join('&', Enumerable.Range(1, 17).Select(i => $"p{i}=v"));
        Assert.Equal(ProblemCodes.InvalidParameter, (string?)(await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{slug}/views/echo?{seventeen}"), 400))["code"]);
        Assert.Equal(ProblemCodes.InvalidParameter,
            (string?)(await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{slug}/views/echo?room={new string('a', 201)}"), 400))["code"]);
        Assert.Equal(ProblemCodes.InvalidParameter, (string?)(await NodeFactory.ExpectProblem(await anyone.GetAsync($"/datasets/{slug}/views/echo?a=1&a=2"), 400))["code"]);
        await NodeFactory.Expect(await anyone.GetAsync($"/datasets/{slug}/views/echo?{string.Join('&', Enumerable.Range(1, 16).Select(i => $"p{i}={new string('v', 200)}"))}"), 200);

        // The probe's own code is not in the node's table (the probe is no module of the node): read as it comes.
        var failed = await anyone.GetAsync($"/datasets/{slug}/views/echo?fail=1");
        Assert.Equal((409, "application/problem+json"), ((int)failed.StatusCode, failed.Content.Headers.ContentType?.MediaType));
        Assert.Equal("probe_slot_taken", (string?)JsonNode.Parse(await failed.Content.ReadAsStringAsync())!["code"]);
        Assert.True(failed.Headers.CacheControl?.NoStore);

        // The same limits before anything is sent, and the owner's error is the reader's origin_unreachable.
        var tooMany = Enumerable.Range(1, 17).ToDictionary(i => $"p{i}", _ => "v");
        Assert.Equal(ProblemCodes.InvalidParameter, (await Assert.ThrowsAsync<ValidationException>(() => FetchFromB(slug, tooMany))).Code);
        var refused = await Assert.ThrowsAsync<OriginUnreachableException>(() => FetchFromB(slug, new Dictionary<string, string> { ["fail"] = "1" }));
        Assert.Contains("409 (probe_slot_taken)", refused.Detail);
    }

    [Fact]
    public async Task An_answer_over_one_mebibyte_is_refused_by_the_reader()
    {
        var slug = await A.SlotsAsync("public");
        var fits = await FetchFromB(slug, new Dictionary<string, string> { ["pad"] = "1000000" });
        Assert.Equal(1_000_000, fits.GetProperty("pad").GetString()!.Length);
        var tooBig = await Assert.ThrowsAsync<OriginUnreachableException>(() => FetchFromB(slug, new Dictionary<string, string> { ["pad"] = "1100000" }));
        Assert.Equal(ProblemCodes.OriginUnreachable, tooBig.Code);
    }

    [Fact]
    public async Task Fetches_beyond_the_limit_per_address_are_too_many_requests()
    {
        await using var limited = new FederatingProbeNode(viewsPerMinute: 2);
        await limited.SwitchAsync(true);
        var slug = await limited.SlotsAsync("public");
        using var anyone = limited.Client();
        await NodeFactory.Expect(await anyone.GetAsync($"/datasets/{slug}/views/echo"), 200);
        await NodeFactory.Expect(await anyone.GetAsync($"/datasets/{slug}/views/echo"), 200);
        var third = await anyone.GetAsync($"/datasets/{slug}/views/echo");
        var problem = await NodeFactory.ExpectProblem(third, 429);
        Assert.Equal(("too_many_requests", "60"), ((string?)problem["code"], third.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.StartsWith("more than 2 requests a minute", (string?)problem["detail"]);
        // Other federation reads are not counted against the views.
        await NodeFactory.Expect(await anyone.GetAsync($"/datasets/{slug}"), 200);
    }

    [Fact]
    public void The_node_gives_modules_the_gateway_and_the_remote_views()
    {
        Assert.IsType<Commons.Federation.Exchanges.ExchangeGateway>(A.Service<IExchangeGateway>());
        Assert.IsType<Commons.Federation.Views.RemoteDatasetViews>(A.Service<IRemoteDatasetViews>());
        Assert.Empty(A.Service<IExchangeGateway>().Outgoing("probe.claim", null, 10));
    }
}
