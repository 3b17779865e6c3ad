using Commons.Core.Exchanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Employers.Tests;

/// <summary>The module stays in its room, names its kinds after itself and lists every code it answers with in docs/problems.md.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void The_module_assembly_references_no_storage_engine_and_no_federation_internals()
    {
        ModuleBoundary.ReferencesOnlyThePlatform(typeof(EmployersModule).Assembly);
    }

    [Fact]
    public void The_module_names_its_kinds_after_itself_and_handles_hours_requests()
    {
        var module = new EmployersModule();
        Assert.Equal(["employers.group", "employers.workers", "employers.assignments", "employers.hours"], module.Kinds.Select(k => k.Name));
        Assert.All(module.Kinds, k => Assert.Equal(Core.Datasets.SharingPolicy.Peers, k.DefaultPolicy));
        var services = new ServiceCollection();
        module.AddServices(services, new ConfigurationBuilder().Build());
        Assert.Equal(["HoursRequestHandler"], services.Where(s => s.ServiceType == typeof(IRequestHandler)).Select(s => s.ImplementationType!.Name));
    }

    [Fact]
    public void Every_code_a_rule_or_request_may_answer_is_listed_in_docs_problems_md()
    {
        var docs = File.ReadAllText(Path.Combine(SchemaExampleTests.Root(), "docs", "problems.md"));
        var section = docs[docs.IndexOf("\n## Modules", StringComparison.Ordinal)..];
        Assert.All(new EmployersModule().Kinds.SelectMany(k => k.ProblemCodes).Distinct(), c => Assert.Matches($@"\| `{c}` \| (404|409|422|403|502) \| employers \|", section));
    }
}
