using System.Net;
using System.Net.Http.Json;
using Commons.Storage;
using LiteDB;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// Issue 9, as it was found: a recursive schema and a grant without a role, stored by a former version, used to kill
/// the node process on the next record (again after every restart) and make every listing 500, while check said ok.
/// </summary>
public sealed class StoredSchemaProcessTests
{
    [Fact]
    public async Task A_stored_recursive_schema_and_roleless_grant_are_reported_by_check_and_do_not_take_the_node_down()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("node");
        await using (var node = await NodeProcess.StartAsync(data))
        {
            using var api = await node.SignInAsync();
            (await api.PostAsJsonAsync("/api/datasets", new { slug = "tree", title = new { en = "Tree" } })).EnsureSuccessStatusCode();
            (await api.PostAsJsonAsync("/api/members", new { username = "ana", password = "a-long-password-for-ana", role = "member" })).EnsureSuccessStatusCode();
            await node.StopAsync();
        }

        using (var db = CommonsDatabase.Open(data))
            db.Write(() =>
            {
                var datasets = db.Db.GetCollection("datasets");
                var doc = datasets.FindById("tree");
                doc["schema"] = """{ "type": "object", "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""";
                doc["grants"] = new BsonArray { new BsonDocument { ["user"] = "ana", ["role"] = 0 } };
                Assert.True(datasets.Update(doc));
            });

        var check = await CommonsCli.RunAsync(data, "check");
        Assert.True(check.ExitCode == 1, check.Out + check.Err);
        Assert.Contains("problem: tree: its schema would be refused today at schema['$defs'].a", check.Out);
        Assert.Contains("problem: tree: the grant", check.Out);

        await using (var node = await NodeProcess.StartAsync(data))
        {
            using var api = await node.SignInAsync();
            for (var i = 0; i < 3; i++)
            {
                var refused = await api.PostAsJsonAsync("/api/datasets/tree/records", new { data = new { x = 1 } });
                Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, await refused.Content.ReadAsStringAsync() + node.RecentOutput);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Contains("without end", await refused.Content.ReadAsStringAsync());
            }
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/datasets")).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/datasets/tree/records", new { data = new { y = 1 } })).StatusCode);
        }
    }
}
