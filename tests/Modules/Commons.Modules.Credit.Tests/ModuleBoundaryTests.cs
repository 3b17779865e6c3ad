using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Credit.Tests;

/// <summary>The module stays in its room: it sees the platform's ports, never a storage engine or federation internals.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void The_module_assembly_references_no_storage_engine_and_no_federation_internals()
    {
        ModuleBoundary.ReferencesOnlyThePlatform(typeof(CreditModule).Assembly);
    }

    [Fact]
    public void The_module_names_its_kinds_after_itself_and_registers_a_handler_per_request_type()
    {
        var module = new CreditModule();
        Assert.Equal([GroupKind.KindName, LedgerKind.KindName], module.Kinds.Select(k => k.Name));
        Assert.All(module.Kinds, k => Assert.Equal(module.Name, k.Module));
        var services = new ServiceCollection();
        module.AddServices(services, new ConfigurationBuilder().Build());
        Assert.Equal(["BillRequestHandler", "PayRequestHandler"],
            services.Where(s => s.ServiceType == typeof(IRequestHandler)).Select(s => s.ImplementationType!.Name).Order());
    }

    [Fact]
    public void Every_code_a_rule_or_request_may_answer_is_listed_in_docs_problems_md()
    {
        var docs = File.ReadAllText(Path.Combine(CreditSchemaExampleTests.Root(), "docs", "problems.md"));
        var section = docs[docs.IndexOf("\n## Modules", StringComparison.Ordinal)..];
        Assert.All(new CreditModule().Kinds.SelectMany(k => k.ProblemCodes).Distinct(), c => Assert.Matches($@"\| `{c}` \| (409|422|403) \| credit \|", section));
    }
}
