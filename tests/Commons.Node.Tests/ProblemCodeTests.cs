using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>Every problem carries a stable <c>code</c>; docs/problems.md lists exactly the codes the node can produce.</summary>
public sealed partial class ProblemCodeTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [GeneratedRegex(@"^\| `([a-z_]+)` \| (\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();

    [Fact]
    public void The_table_in_docs_lists_exactly_the_codes_of_ProblemCodes()
    {
        var doc = ModuleProblemCodes.CoreSection(File.ReadAllText(Path.Combine(ProblemCodeTable.RepositoryRoot(), "docs", "problems.md")));
        var table = TableRow().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(table.Count, table.Distinct().Count());
        Assert.Equal(ProblemCodeTable.Codes.Order(), table.Order());
        Assert.All(table, code => Assert.Matches(SnakeCase(), code));
    }

    /// <summary>The node's own codes with their statuses, from the table in docs.</summary>
    private static Dictionary<string, int> CoreStatuses(string doc) => TableRow().Matches(ModuleProblemCodes.CoreSection(doc))
        .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Every_code_of_every_module_is_in_the_modules_section_with_one_status()
    {
        var doc = File.ReadAllText(Path.Combine(ProblemCodeTable.RepositoryRoot(), "docs", "problems.md"));
        Assert.Contains(ModuleProblemCodes.Heading, doc);
        var failures = ModuleProblemCodes.Check(Hosting.Modules.NodeModules.All, doc, CoreStatuses(doc));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_modules_check_sees_a_missing_code_a_stray_row_and_a_code_with_two_statuses()
    {
        var doc = File.ReadAllText(Path.Combine(ProblemCodeTable.RepositoryRoot(), "docs", "problems.md"));
        var core = CoreStatuses(doc);
        // The node's modules and the test module, whose code the real table does not list.
        Platform.ICommonsModule[] probe = [.. Hosting.Modules.NodeModules.All, new Probe.ProbeModule()];
        Assert.Contains(ModuleProblemCodes.Check(probe, doc, core), f => f.Contains("'probe_slot_taken' is not in the Modules section", StringComparison.Ordinal));
        Assert.Empty(ModuleProblemCodes.Check(probe, doc + "| `probe_slot_taken` | 409 | probe | the slot is taken |\n", core));
        Assert.Contains(ModuleProblemCodes.Check(probe, doc + "| `probe_slot_taken` | 409 | probe | a |\n| `probe_slot_taken` | 422 | other | b |\n", core),
            f => f.Contains("has statuses 409 (probe), 422 (other)", StringComparison.Ordinal));
        Assert.Contains(ModuleProblemCodes.Check(Hosting.Modules.NodeModules.All, doc + "| `conflict` | 422 | other | b |\n", core), f => f.Contains("the node uses it for 409", StringComparison.Ordinal));
        Assert.Contains(ModuleProblemCodes.Check(Hosting.Modules.NodeModules.All, doc + "| `ghost_code` | 409 | ghost | x |\n", core),
            f => f.Contains("'ghost_code' for module ghost, whose kinds do not declare it", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_code_is_produced_somewhere_in_the_source()
    {
        var src = Path.Combine(ProblemCodeTable.RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var uses = string.Join("\n", files.Select(File.ReadAllText));
        var statusTable = File.ReadAllText(files.Single(f => f.EndsWith($"Errors{Path.DirectorySeparatorChar}ProblemCodes.cs", StringComparison.Ordinal)));
        foreach (var (code, name) in ProblemCodeTable.NameOf)
        {
            // Produced by a throw site or a default (ProblemCodes.X), or as the code a status means (ForStatus: => X).
            var produced = Regex.IsMatch(uses, $@"ProblemCodes\.{name}\b") || Regex.IsMatch(statusTable, $@"=> {name},");
            Assert.True(produced, $"{code} ({name}) is declared but never produced");
        }
        // And no throw site passes a code as a bare string the table would not know.
        Assert.DoesNotMatch(@"code: ""[a-z_]+""", uses);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", 404, "not_found")]
    [InlineData("GET", "/api/datasets/no-such-dataset", 404, "not_found")]
    [InlineData("GET", "/api/me", 401, "unauthenticated")]
    [InlineData("PATCH", "/api/datasets", 405, "method_not_allowed")]
    public async Task Framework_answers_carry_a_code(string method, string path, int status, string code)
    {
        using var client = path == "/api/datasets/no-such-dataset" ? await node.AdminAsync() : node.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.ParseAdd("application/json");
        var problem = await NodeFactory.ExpectProblem(await client.SendAsync(request), status);
        Assert.Equal(code, (string)problem["code"]!);
    }

    [Fact]
    public async Task A_wrong_password_is_invalid_credentials()
    {
        using var client = node.Client();
        var problem = await NodeFactory.ExpectProblem(await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "not-it" }), 401);
        Assert.Equal("invalid_credentials", (string)problem["code"]!);
    }
}

/// <summary>A node that takes one inbox request a minute from an address, so the second is the rate limiter's 429.</summary>
public sealed class OneInboxRequestNode : NodeFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Federation:InboxRequestsPerMinute", "1")];
}

public sealed class InboxRateLimitTests(OneInboxRequestNode node) : IClassFixture<OneInboxRequestNode>
{
    [Fact]
    public async Task The_inbox_rate_limit_429_is_a_problem_with_retry_after()
    {
        using var client = node.Client();
        using var first = await client.PostAsync("/inbox", NodeFactory.Json("[]"));
        using var second = await client.PostAsync("/inbox", NodeFactory.Json("[]"));
        var problem = await NodeFactory.ExpectProblem(second, 429);
        Assert.Equal("too_many_requests", (string)problem["code"]!);
        Assert.Equal("60", second.Headers.GetValues("Retry-After").Single());
    }
}
