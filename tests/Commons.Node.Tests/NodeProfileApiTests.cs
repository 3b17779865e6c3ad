using Commons.Node.Cli;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// GET/PUT /api/admin/node and <c>commons-node node …</c>: the node's name and the organisation's description, changed by
/// administrators only, problem+json on bad input, the same service behind both.
/// </summary>
public sealed class NodeProfileApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task An_administrator_sets_the_description_in_three_languages_and_a_partial_put_keeps_the_rest()
    {
        using var admin = await node.AdminAsync();
        var put = await NodeFactory.Expect(await admin.Send("PUT", "/api/admin/node",
            """{ "name": "  Maison des Alternatives ", "description": { "fr": "Un lieu partagé à Anderlecht.", "nl": "Een gedeelde plek in Anderlecht.", "en": "  " } }"""), 200);
        Assert.Equal("Maison des Alternatives", (string?)put["name"]);
        Assert.Equal("Un lieu partagé à Anderlecht.", (string?)put["description"]!["fr"]);
        Assert.Equal("Een gedeelde plek in Anderlecht.", (string?)put["description"]!["nl"]);
        Assert.Null((string?)put["description"]!["en"]);
        Assert.Equal(put.ToJsonString(), (await admin.GetJson("/api/admin/node")).ToJsonString());

        // Only the name: the description stays as it was.
        var renamed = await NodeFactory.Expect(await admin.Send("PUT", "/api/admin/node", """{ "name": "MdA" }"""), 200);
        Assert.Equal("MdA", (string?)renamed["name"]);
        Assert.Equal("Un lieu partagé à Anderlecht.", (string?)renamed["description"]!["fr"]);
    }

    [Theory]
    [InlineData("""{ "name": "" }""", "name")]
    [InlineData("""{ "name": "   " }""", "name")]
    [InlineData("""{ "description": { "fr": "LONG" } }""", "description.fr")]
    [InlineData("""{ "description": { "de": "Hallo" } }""", "$.description.de")]
    [InlineData("""{ "name": 12 }""", "$.name")]
    [InlineData("""{ "title": "x" }""", "$.title")]
    public async Task Bad_input_is_a_problem_document_and_nothing_changes(string json, string path)
    {
        using var admin = await node.AdminAsync();
        var before = (await admin.GetJson("/api/admin/node")).ToJsonString();
        var body = json.Replace("LONG", new string('a', 1001), StringComparison.Ordinal);

        var problem = await NodeFactory.ExpectValidation(await admin.Send("PUT", "/api/admin/node", body), path);

        Assert.Equal("validation_failed", (string?)problem["code"]);
        Assert.Equal(before, (await admin.GetJson("/api/admin/node")).ToJsonString());
    }

    [Fact]
    public async Task Members_and_tokens_without_the_admin_scope_are_refused_with_forbidden()
    {
        var member = await node.CreateMemberAsync();
        using var client = node.Client(await node.AccessTokenAsync(member, NodeFactory.MemberPassword));
        Assert.Equal("forbidden", (string?)(await NodeFactory.ExpectProblem(await client.GetAsync("/api/admin/node"), 403))["code"]);
        // Refused before the body is read: even a malformed body gets 403, not 400.
        Assert.Equal("forbidden", (string?)(await NodeFactory.ExpectProblem(await client.Send("PUT", "/api/admin/node", """{ "name": "" }"""), 403))["code"]);

        var (_, readWrite) = await node.CreatePatAsync(await node.AccessTokenAsync("admin", NodeFactory.AdminPassword), ["read", "write"]);
        using var pat = node.Client(readWrite);
        await NodeFactory.ExpectProblem(await pat.Send("PUT", "/api/admin/node", """{ "name": "Taken over" }"""), 403);
        await NodeFactory.ExpectProblem(await node.Client().GetAsync("/api/admin/node"), 401);

        using var admin = await node.AdminAsync();
        Assert.NotEqual("Taken over", (string?)(await admin.GetJson("/api/admin/node"))["name"]);
    }

    [Fact]
    public async Task The_command_line_shows_renames_and_describes_one_language_at_a_time()
    {
        Assert.Equal(0, Run("node", "set-name", "Atelier Vélo").Code);
        var set = Run("node", "set-description", "--fr", "Un atelier de réparation.", "--nl", "Een herstelatelier.");
        Assert.Equal((0, "description of Atelier Vélo: fr, nl\n"), (set.Code, set.Out));
        Assert.Equal(0, Run("node", "set-description", "--en", "A repair workshop.", "--nl", "").Code);

        var show = Run("node", "show");
        Assert.Equal("name: Atelier Vélo\ndescription.fr: Un atelier de réparation.\ndescription.nl: \ndescription.en: A repair workshop.\n", show.Out);
        using var admin = await node.AdminAsync();
        Assert.Equal("A repair workshop.", (string?)(await admin.GetJson("/api/admin/node"))["description"]!["en"]);

        var nothing = Run("node", "set-description");
        Assert.Equal(1, nothing.Code);
        Assert.EndsWith("[validation_failed]", nothing.Error.TrimEnd());
        var blank = Run("node", "set-name", " ");
        Assert.Equal("error: name: a node name has 1 to 100 characters [validation_failed]", blank.Error.TrimEnd());
        Assert.Single(blank.Error.TrimEnd().Split('\n'));
        Assert.Equal(2, Run("node", "set-name").Code);
    }

    private (int Code, string Out, string Error) Run(params string[] args)
    {
        _ = node.Address;
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Execute(args, new CliContext(node.Services, output, Environment.CurrentDirectory, insideRunningNode: true), error);
        return (code, output.ToString(), error.ToString());
    }
}
