using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

public sealed class RecordConcurrencyTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Two_writers_with_the_same_etag_one_wins_the_other_gets_412_and_nothing_is_lost()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        // A member with the editor role writes as well, on its own connection.
        var editor = await node.CreateMemberAsync();
        using (var a = await node.AdminAsync())
            await NodeFactory.Expect(await a.PutAsync($"/api/datasets/{slug}/grants/{editor}", NodeFactory.Json("""{"role":"editor"}""")), 200);
        using var other = node.Client(await node.AccessTokenAsync(editor, NodeFactory.MemberPassword));

        for (var round = 0; round < 20; round++)
        {
            var id = $"race{round}";
            var created = await admin.CreateRecord(slug, """{"who":"nobody"}""", id);
            Assert.Equal(1, (int)created["revision"]!);

            Task<HttpResponseMessage> Put(HttpClient c, string who) => c.Send("PUT", $"/api/datasets/{slug}/records/{id}", $$$"""{"data":{"who":"{{{who}}}"}}""",
                r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
            var responses = await Task.WhenAll(Put(admin, "A"), Put(other, "B"));

            var statuses = responses.Select(r => (int)r.StatusCode).OrderBy(s => s).ToArray();
            Assert.Equal([200, 412], statuses);
            var winner = responses[0].StatusCode == System.Net.HttpStatusCode.OK ? "A" : "B";
            var loser = responses.Single(r => (int)r.StatusCode == 412);
            var problem = await NodeFactory.ExpectProblem(loser, 412);
            Assert.Equal(2, (int)problem["currentRevision"]!);

            var stored = await admin.GetJson($"/api/datasets/{slug}/records/{id}");
            Assert.Equal(2, (int)stored["revision"]!);
            Assert.Equal(winner, (string)stored["data"]!["who"]!);
            foreach (var r in responses) r.Dispose();
        }

        // Every create and every winning update, and nothing else, is in the feed: 20 + 20 changes, numbered 1..40.
        var feed = await admin.GetJson($"/api/datasets/{slug}/changes?limit=500");
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), feed["items"]!.AsArray().Select(c => (long)c!["seq"]!));
        Assert.Equal(40, (long)feed["lastSeq"]!);
    }

    [Fact]
    public async Task A_stale_if_match_gets_412_and_overwrites_nothing()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"v":1}""", "x");
        using (var ok = await admin.Send("PUT", $"/api/datasets/{slug}/records/x", """{"data":{"v":2}}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\"")))
        {
            await NodeFactory.Expect(ok, 200);
            Assert.Equal("\"2\"", ok.Headers.ETag?.ToString());
        }
        var before = await admin.Counts(slug);

        using var stale = await admin.Send("PUT", $"/api/datasets/{slug}/records/x", """{"data":{"v":99}}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
        await NodeFactory.ExpectProblem(stale, 412);
        using var staleWeak = await admin.Send("PUT", $"/api/datasets/{slug}/records/x", """{"shared":false}""", r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"1\""));
        await NodeFactory.ExpectProblem(staleWeak, 412);
        using var staleDelete = await admin.Send("DELETE", $"/api/datasets/{slug}/records/x", configure: r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
        await NodeFactory.ExpectProblem(staleDelete, 412);

        var stored = await admin.GetJson($"/api/datasets/{slug}/records/x");
        Assert.Equal(2, (int)stored["revision"]!);
        Assert.Equal(2, (int)stored["data"]!["v"]!);
        Assert.True((bool)stored["shared"]!);
        Assert.Equal(before, await admin.Counts(slug));
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_gets_304()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"v":1}""", "y");
        using var first = await admin.GetAsync($"/api/datasets/{slug}/records/y");
        await NodeFactory.Expect(first, 200);
        var etag = first.Headers.ETag!.ToString();
        Assert.Equal("\"1\"", etag);

        using var notModified = await admin.Send("GET", $"/api/datasets/{slug}/records/y", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(304, (int)notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        foreach (var variant in new[] { "W/\"1\"", "\"7\", \"1\"", "*" })
        {
            using var r = await admin.Send("GET", $"/api/datasets/{slug}/records/y", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", variant));
            Assert.True(304 == (int)r.StatusCode, $"If-None-Match: {variant} gave {(int)r.StatusCode}");
        }

        await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/y", """{"data":{"v":2}}"""), 200);
        using var changed = await admin.Send("GET", $"/api/datasets/{slug}/records/y", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        var body = await NodeFactory.Expect(changed, 200);
        Assert.Equal(2, (int)body["revision"]!);
        Assert.Equal("\"2\"", changed.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task A_stale_dataset_version_gets_412()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        var d = await admin.GetJson($"/api/datasets/{slug}");
        var version = (long)d["version"]!;
        await NodeFactory.Expect(await admin.Send("PATCH", $"/api/datasets/{slug}", """{"description":{"en":"one"}}""",
            r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"")), 200);
        using var stale = await admin.Send("PATCH", $"/api/datasets/{slug}", """{"description":{"en":"two"}}""",
            r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\""));
        await NodeFactory.ExpectProblem(stale, 412);
        Assert.Equal("one", (string)(await admin.GetJson($"/api/datasets/{slug}"))["description"]!["en"]!);
    }
}
