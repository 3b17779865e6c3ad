using System.Reflection;
using Commons.Core.Exchanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Place.Tests;

/// <summary>The module stays in its room: it sees the platform's ports, never a storage engine or federation internals.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void The_module_assembly_references_no_storage_engine_and_no_federation_internals()
    {
        ModuleBoundary.ReferencesOnlyThePlatform(typeof(PlaceModule).Assembly);
    }

    [Fact]
    public void The_module_names_its_kinds_after_itself_and_registers_a_handler_per_request_type()
    {
        var module = new PlaceModule();
        Assert.Equal(["place.resources", "place.bookings"], module.Kinds.Select(k => k.Name));
        Assert.All(module.Kinds, k => Assert.Equal(module.Name, k.Module));
        Assert.All(module.Kinds, k => Assert.NotEmpty(k.ProblemCodes));

        var services = new ServiceCollection();
        module.AddServices(services, new ConfigurationBuilder().Build());
        var handlers = services.Where(s => s.ServiceType == typeof(IRequestHandler)).Select(s => s.ImplementationType!.Name).Order();
        Assert.Equal(["BookRequestHandler", "CancelRequestHandler"], handlers);
        Assert.NotNull(module.Pages);
        Assert.Equal(Assembly.GetAssembly(typeof(PlaceModule)), module.Pages);
    }

    [Fact]
    public void Every_code_a_rule_or_request_may_answer_is_listed_in_docs_problems_md()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "problems.md"));
        var section = docs[docs.IndexOf("\n## Modules", StringComparison.Ordinal)..];
        var codes = new PlaceModule().Kinds.SelectMany(k => k.ProblemCodes).Distinct();
        // The platform's table: code, status, module, meaning; a rule's 409 or 422 as its exception says.
        Assert.All(codes, c => Assert.Matches($@"\| `{c}` \| (409|422|403) \| place \|", section));
    }

    [Fact]
    public void Each_kinds_schema_is_published_under_spec_schemas_with_its_id_at_its_stable_path()
    {
        foreach (var kind in new PlaceModule().Kinds)
        {
            var name = $"{kind.Name}.v{kind.SchemaVersion}.json";
            var published = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "spec", "schemas", name)));
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(kind.Schema), published), $"spec/schemas/{name} differs from the module's");
            Assert.Equal($"/schemas/{name}", (string?)published!["$id"]);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
