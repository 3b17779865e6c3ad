using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;
using Xunit.Abstractions;

namespace Commons.Node.Tests.Conformance;

/// <summary>
/// A real node against its own OpenAPI document: every operation, as administrator, member (signed in, and through a
/// read-only access token) and anonymous caller, with
/// generated valid and invalid inputs (fixed seeds, a bounded number per operation). Any 5xx, any status the document
/// does not list for the operation, and any body that does not match its documented schema is a failure.
/// </summary>
public sealed class OpenApiConformanceTests(ITestOutputHelper output)
{
    private const int ValidCases = 3;
    private const int InvalidCases = 6;

    private static readonly JsonObject RecordSchema = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" }, ["count"] = new JsonObject { ["type"] = "integer" } },
    };

    [Fact]
    public async Task Every_operation_answers_only_as_its_document_says()
    {
        await using var node = new NodeFactory();
        var world = await World.CreateAsync(node);
        using var anonymous = node.Client();
        var doc = new OpenApiOperations(await NodeFactory.Expect(await anonymous.GetAsync("/openapi/v1.json"), 200));
        var validator = new ResponseValidator(doc);
        var failures = new List<string>();
        var sent = 0;
        var seen = new SortedDictionary<string, SortedSet<int>>(StringComparer.Ordinal);

        // Deletions last, so that what the other operations are given still exists.
        foreach (var op in doc.Operations.OrderBy(o => o.Method == "DELETE"))
            foreach (var (caller, bearer) in world.Callers)
            {
                var generator = new InputGenerator(doc, new Random(StableSeed($"{op} {caller}")), world.Cursor);
                using var client = node.Client(bearer);
                for (var i = 0; i < ValidCases + InvalidCases; i++)
                {
                    var pathValues = await world.PathValuesAsync(op, caller);
                    var request = i < ValidCases ? generator.Valid(op, pathValues) : generator.Invalid(op, pathValues);
                    using var message = new HttpRequestMessage(new HttpMethod(op.Method), request.Url);
                    if (request.Body is not null) message.Content = new StringContent(request.Body, Encoding.UTF8, request.ContentType);
                    foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
                    using var response = await client.SendAsync(message);
                    sent++;
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    (seen.TryGetValue(op.ToString(), out var statuses) ? statuses : seen[op.ToString()] = []).Add(status);
                    bool HasHeader(string name) => response.Headers.Contains(name) || response.Content.Headers.Contains(name);
                    if (validator.Check(op, status, response.Content.Headers.ContentType?.MediaType, body, HasHeader) is { } wrong)
                        failures.Add($"{op} as {caller} [{request.Label}]: {op.Method} {Short(request.Url, 200)}\n"
                            + $"    sent: {Short(request.Body ?? "(no body)", 300)}\n    got:  {status} {Short(body, 400)}\n    why:  {wrong}");
                }
            }

        // What was reached, so that a generator that stops reaching the happy paths shows.
        foreach (var (op, statuses) in seen) output.WriteLine($"{op}: {string.Join(" ", statuses)}");
        Assert.True(doc.Operations.Count >= 40, $"only {doc.Operations.Count} operations in the document");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {sent} answers differ from the OpenAPI document:\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public async Task Every_documented_path_answers_405_to_the_methods_it_does_not_document_and_allows_exactly_the_documented_ones()
    {
        await using var node = new NodeFactory();
        using var client = node.Client(await node.AccessTokenAsync("admin", NodeFactory.AdminPassword));
        // A module's paths are routed only while it is on; off, every method answers 404 (ModuleEndpointRoutingTests).
        foreach (var module in Commons.Node.Hosting.Modules.NodeModules.All)
            await NodeFactory.Expect(await client.PutAsync($"/api/admin/modules/{module.Name}", NodeFactory.Json("""{"enabled":true}""")), 200);
        var doc = new OpenApiOperations(await NodeFactory.Expect(await client.GetAsync("/openapi/v1.json"), 200));
        var validator = new ResponseValidator(doc);
        var failures = new List<string>();
        foreach (var path in doc.Operations.GroupBy(o => o.Path))
        {
            var url = path.Key.Replace("{slug}", "some-slug").Replace("{id}", "some-id").Replace("{username}", "someone");
            // A concrete path can also be a templated one (DELETE /api/admin/deliveries/{id} with id=retry-dead).
            var documented = doc.Operations.Where(o => Matches(o.Path, url)).Select(o => o.Method).ToHashSet();
            foreach (var method in new[] { "GET", "PUT", "POST", "DELETE", "PATCH" }.Where(m => !documented.Contains(m)))
            {
                using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
                var body = await response.Content.ReadAsStringAsync();
                var allowed = response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var a) ? a : [])
                    .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
                var problem = validator.CheckProblem(response.Content.Headers.ContentType?.MediaType, body);
                if ((int)response.StatusCode != 405 || problem is not null || !allowed.SetEquals(documented))
                    failures.Add($"{method} {url}: {(int)response.StatusCode} Allow: {string.Join(", ", allowed)} (documented: {string.Join(", ", documented)}) {problem} {Short(body, 200)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static bool Matches(string template, string url) =>
        Regex.IsMatch(url, "^" + Regex.Replace(Regex.Escape(template), @"\\\{[a-z]+}", "[^/]+") + "$");

    /// <summary>A deterministic seed (string.GetHashCode changes from run to run).</summary>
    private static int StableSeed(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }

    private static string Short(string s, int max) => s.Length <= max ? s : s[..max] + $"…({s.Length} chars)";

    /// <summary>What the generated requests point at: callers, a dataset with records, a member to act on, tokens.</summary>
    private sealed class World
    {
        private readonly NodeFactory _node;
        private readonly string _member, _victim, _slug;
        private readonly List<string> _records;
        public IReadOnlyList<(string Caller, string? Bearer)> Callers { get; }
        /// <summary>A cursor the node gave out (the second page of the dataset's records, one per page).</summary>
        public string Cursor { get; }

        private World(NodeFactory node, string member, string victim, string slug, List<string> records, IReadOnlyList<(string, string?)> callers, string cursor) =>
            (_node, _member, _victim, _slug, _records, Callers, Cursor) = (node, member, victim, slug, records, callers, cursor);

        public static async Task<World> CreateAsync(NodeFactory node)
        {
            var adminJwt = await node.AccessTokenAsync("admin", NodeFactory.AdminPassword);
            var member = await node.CreateMemberAsync();
            var memberJwt = await node.AccessTokenAsync(member, NodeFactory.MemberPassword);
            // The member whose name goes into {username}: resetting their password signs out nobody the test needs.
            var victim = await node.CreateMemberAsync();
            var slug = await node.CreateDatasetAsync(schema: RecordSchema, grants: [(member, "editor")]);
            using var admin = node.Client(adminJwt);
            var records = new List<string>();
            for (var i = 0; i < 3; i++)
                records.Add((string)(await admin.CreateRecord(slug, $$"""{"name":"record {{i}}","count":{{i}}}"""))["id"]!);
            var cursor = (string)(await admin.GetJson($"/api/datasets/{slug}/records?limit=1"))["next"]!;
            // The member again, through a personal access token that may only read: every write is refused with 403.
            var readOnly = (await node.CreatePatAsync(memberJwt, ["read"])).Secret;
            return new World(node, member, victim, slug, records,
                [("admin", adminJwt), ("member", memberJwt), ("member's read-only token", readOnly), ("anonymous", null)], cursor);
        }

        /// <summary>Path values that exist; what an operation may change or delete is made fresh for it.</summary>
        public async Task<IReadOnlyDictionary<string, string>> PathValuesAsync(OpenApiOperation op, string caller)
        {
            var values = new Dictionary<string, string>();
            var changesDataset = op.Path == "/api/datasets/{slug}" && op.Method != "GET";
            foreach (var p in op.Parameters.Where(p => p.In == "path"))
                values[p.Name] = p.Name switch
                {
                    "slug" when changesDataset => await _node.CreateDatasetAsync(schema: RecordSchema, grants: [(_member, "steward")]),
                    "slug" => _slug,
                    "username" => _victim,
                    "id" when op.Path.Contains("/records/{id}", StringComparison.Ordinal) && op.Method == "DELETE" => await FreshRecordAsync(),
                    "id" when op.Path.Contains("/records/{id}", StringComparison.Ordinal) => _records[0],
                    "id" when op.Path.StartsWith("/api/tokens/", StringComparison.Ordinal) => await FreshTokenAsync(caller),
                    _ => "none",
                };
            return values;
        }

        private async Task<string> FreshRecordAsync()
        {
            using var admin = _node.Client(Callers[0].Bearer);
            return (string)(await admin.CreateRecord(_slug, """{"name":"to delete"}"""))["id"]!;
        }

        private async Task<string> FreshTokenAsync(string caller)
        {
            // The administrator's for the administrator and anonymous callers, otherwise the member's (made with their JWT:
            // a read-only token cannot make tokens).
            var bearer = caller is "admin" or "anonymous" ? Callers[0].Bearer! : Callers[1].Bearer!;
            return (await _node.CreatePatAsync(bearer, ["read"])).Id;
        }
    }
}
