using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

public sealed partial class RecordApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "city": { "type": "string" },
            "count": { "type": "integer" },
            "score": { "type": "number" },
            "active": { "type": "boolean" },
            "address": { "type": "object", "properties": { "zip": { "type": "string" } } }
          },
          "required": ["name"]
        }
        """)!;

    private static List<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(r => (string)r!["id"]!).ToList();

    [Fact]
    public async Task Create_with_and_without_id_and_a_duplicate_id_is_409()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();

        using var generated = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"data":{"name":"no id"}}"""));
        var g = await NodeFactory.Expect(generated, 201);
        var id = (string)g["id"]!;
        Assert.Matches("^[0-9a-z]{26}$", id);
        Assert.Equal(1, (int)g["revision"]!);
        Assert.True((bool)g["shared"]!);
        Assert.Equal("admin", (string)g["createdBy"]!);
        Assert.Equal($"/api/datasets/{slug}/records/{id}", generated.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", generated.Headers.ETag?.ToString());

        var given = await admin.CreateRecord(slug, """{"name":"given"}""", "my-id_1");
        Assert.Equal("my-id_1", (string)given["id"]!);

        using var duplicate = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"id":"my-id_1","data":{"name":"again"}}"""));
        await NodeFactory.ExpectProblem(duplicate, 409);
        Assert.Equal("given", (string)(await admin.GetJson($"/api/datasets/{slug}/records/my-id_1"))["data"]!["name"]!);
        Assert.Equal((2L, 2L), await admin.Counts(slug));

        using var unshared = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"id":"quiet","data":{"name":"q"},"shared":false}"""));
        Assert.False((bool)(await NodeFactory.Expect(unshared, 201))["shared"]!);
    }

    [Fact]
    public async Task Filter_by_string_number_and_boolean_fields_and_by_accent_insensitive_text()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"name":"École des Arts","city":"Bruxelles","count":3,"score":2.5,"active":true,"address":{"zip":"1000"}}""", "a");
        await admin.CreateRecord(slug, """{"name":"Atelier vélo","city":"Gent","count":3,"score":1,"active":false}""", "b");
        await admin.CreateRecord(slug, """{"name":"ecole primaire","city":"Gent","count":7,"active":true}""", "c");
        await admin.CreateRecord(slug, """{"name":"Bibliothèque","city":"Liège","count":0}""", "d");

        async Task<List<string>> Query(string q) => Ids(await admin.GetJson($"/api/datasets/{slug}/records?{q}")).Order().ToList();
        Assert.Equal(["b", "c"], await Query("filter.city=Gent"));
        Assert.Equal(["d"], await Query("filter.city=Li%C3%A8ge"));
        Assert.Equal(["a", "b"], await Query("filter.count=3"));
        Assert.Equal(["a"], await Query("filter.score=2.5"));
        Assert.Equal(["b"], await Query("filter.score=1"));
        Assert.Equal(["a", "c"], await Query("filter.active=true"));
        Assert.Equal(["b"], await Query("filter.active=false"));
        Assert.Equal(["a"], await Query("filter.address.zip=1000"));
        Assert.Equal(["c"], await Query("filter.city=Gent&filter.active=true"));
        Assert.Empty(await Query("filter.city=gent")); // equality is exact; search is not
        Assert.Equal(["a", "c"], await Query("q=ecole"));
        Assert.Equal(["a", "c"], await Query("q=%C3%89COLE"));
        Assert.Equal(["b"], await Query("q=velo"));
        Assert.Equal(["d"], await Query("q=liege"));
        Assert.Equal(["a"], await Query("q=ecole%20arts"));
        Assert.Equal(["c"], await Query("q=ecole&filter.city=Gent"));
        Assert.Empty(await Query("q=nowhere"));
    }

    [Fact]
    public async Task Sort_ascending_and_descending()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        foreach (var (id, name, count) in new[] { ("p", "Charlie", 2), ("q", "alpha", 9), ("r", "Bravo", 5), ("s", "delta", 1) })
            await admin.CreateRecord(slug, $$"""{"name":"{{name}}","count":{{count}}}""", id);

        async Task<List<string>> Sorted(string sort) => Ids(await admin.GetJson($"/api/datasets/{slug}/records?sort={sort}"));
        Assert.Equal(["s", "p", "r", "q"], await Sorted("count"));
        Assert.Equal(["q", "r", "p", "s"], await Sorted("-count"));
        Assert.Equal(["s", "p", "r", "q"], await Sorted("data.count"));
        Assert.Equal(["p", "q", "r", "s"], await Sorted("id"));
        Assert.Equal(["s", "r", "q", "p"], await Sorted("-id"));
        var byName = await Sorted("name");
        Assert.Equal(byName.AsEnumerable().Reverse(), await Sorted("-name"));
        Assert.Equal(4, byName.Distinct().Count());
    }

    [Fact]
    public async Task Cursor_paging_over_120_records_returns_each_once_with_link_rel_next()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        var created = new HashSet<string>();
        for (var i = 0; i < 120; i++)
            created.Add((string)(await admin.CreateRecord(slug, $$"""{"name":"n{{i % 7}}","count":{{i % 11}}}"""))["id"]!);

        foreach (var sort in new[] { "", "&sort=-count", "&sort=name" })
        {
            var seen = new List<string>();
            string? next = $"/api/datasets/{slug}/records?limit=25{sort}";
            var pages = 0;
            while (next is not null)
            {
                using var response = await admin.GetAsync(next);
                var page = await NodeFactory.Expect(response, 200);
                seen.AddRange(Ids(page));
                pages++;
                var cursor = (string?)page["next"];
                var link = response.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
                if (cursor is null)
                {
                    Assert.Null(link);
                    next = null;
                }
                else
                {
                    var m = LinkNext().Match(link ?? "");
                    Assert.True(m.Success, $"no rel=next Link: {link}");
                    next = m.Groups[1].Value;
                    Assert.Contains("cursor=" + Uri.EscapeDataString(cursor), next);
                    Assert.Contains("limit=25", next);
                }
                Assert.True(pages <= 6, "paging does not end");
            }
            Assert.Equal(5, pages);
            Assert.Equal(120, seen.Count);
            Assert.Equal(created.Order(), seen.Order());
        }
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex LinkNext();

    [Fact]
    public async Task Deleted_records_disappear_and_the_changes_feed_numbers_every_change()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"name":"one"}""", "one");
        await admin.CreateRecord(slug, """{"name":"two"}""", "two");
        await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/one", """{"data":{"name":"uno"}}"""), 200);
        await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/one", """{"data":{"name":"uno"}}"""), 200); // same: no change
        await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/two", """{"shared":false}"""), 200);
        using (var delete = await admin.Send("DELETE", $"/api/datasets/{slug}/records/one", configure: r => r.Headers.TryAddWithoutValidation("If-Match", "\"2\"")))
            Assert.Equal(204, (int)delete.StatusCode);

        await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}/records/one"), 404);
        await NodeFactory.ExpectProblem(await admin.Send("PUT", $"/api/datasets/{slug}/records/one", """{"data":{"name":"ghost"}}"""), 404);
        await NodeFactory.ExpectProblem(await admin.Send("DELETE", $"/api/datasets/{slug}/records/one"), 404);
        Assert.Equal(["two"], Ids(await admin.GetJson($"/api/datasets/{slug}/records")));
        Assert.Empty(Ids(await admin.GetJson($"/api/datasets/{slug}/records?q=uno")));

        var feed = await admin.GetJson($"/api/datasets/{slug}/changes");
        var items = feed["items"]!.AsArray();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], items.Select(c => (long)c!["seq"]!));
        Assert.Equal(["create", "create", "update", "recordSharing", "delete"], items.Select(c => (string)c!["kind"]!));
        Assert.Equal(["one", "two", "one", "two", "one"], items.Select(c => (string)c!["recordId"]!));
        Assert.Equal([1L, 1L, 2L, 2L, 3L], items.Select(c => (long)c!["revision"]!));
        Assert.Equal(5, (long)feed["lastSeq"]!);
        Assert.Null(feed["next"]);
        Assert.Equal((1L, 5L), await admin.Counts(slug));

        var after = await admin.GetJson($"/api/datasets/{slug}/changes?after=3&limit=1");
        Assert.Equal([4L], after["items"]!.AsArray().Select(c => (long)c!["seq"]!));
        Assert.Equal(4, (long)after["next"]!);
        Assert.Empty((await admin.GetJson($"/api/datasets/{slug}/changes?after=5"))["items"]!.AsArray());

        // A deleted id can be created again, with a revision above its tombstone's.
        var again = await admin.CreateRecord(slug, """{"name":"back"}""", "one");
        Assert.Equal(4, (int)again["revision"]!);
    }

    [Fact]
    public async Task The_shared_flag_toggles_with_a_revision_and_a_sharing_change()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"name":"s"}""", "s");

        var off = await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/s", """{"shared":false}"""), 200);
        Assert.False((bool)off["shared"]!);
        Assert.Equal(2, (int)off["revision"]!);
        Assert.Equal("s", (string)off["data"]!["name"]!);
        Assert.False((bool)(await admin.GetJson($"/api/datasets/{slug}/records/s"))["shared"]!);

        var same = await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/s", """{"shared":false}"""), 200);
        Assert.Equal(2, (int)same["revision"]!);

        var on = await NodeFactory.Expect(await admin.Send("PUT", $"/api/datasets/{slug}/records/s", """{"shared":true}""",
            r => r.Headers.TryAddWithoutValidation("If-Match", "\"2\"")), 200);
        Assert.True((bool)on["shared"]!);
        Assert.Equal(3, (int)on["revision"]!);

        var kinds = (await admin.GetJson($"/api/datasets/{slug}/changes"))["items"]!.AsArray().Select(c => (string)c!["kind"]!);
        Assert.Equal(["create", "recordSharing", "recordSharing"], kinds);
    }

    [Fact]
    public async Task Records_of_one_dataset_never_show_in_another()
    {
        var a = await node.CreateDatasetAsync(schema: Schema);
        var b = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(a, """{"name":"only in a"}""", "same");
        await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{b}/records/same"), 404);
        Assert.Empty(Ids(await admin.GetJson($"/api/datasets/{b}/records")));
        await admin.CreateRecord(b, """{"name":"only in b"}""", "same");
        Assert.Equal("only in a", (string)(await admin.GetJson($"/api/datasets/{a}/records/same"))["data"]!["name"]!);
    }
}
