namespace Commons.Modules.Map.Tests;

/// <summary>The module stays in its room, names its kinds after itself and lists every code in docs/problems.md.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void The_module_assembly_references_no_storage_engine_and_no_federation_internals()
    {
        ModuleBoundary.ReferencesOnlyThePlatform(typeof(MapModule).Assembly);
    }

    [Fact]
    public void The_module_names_its_kinds_after_itself_and_its_pages_menu_and_first_run_step_stay_under_map()
    {
        var module = new MapModule();
        Assert.Equal(["map.profile", "map.offers"], module.Kinds.Select(k => k.Name));
        Assert.All(module.Kinds, k => Assert.Equal(module.Name, k.Module));
        Assert.All(module.Kinds, k => Assert.NotEmpty(k.ProblemCodes));
        Assert.Same(typeof(MapModule).Assembly, module.Pages);
        Assert.Equal(["/map", "/map/listings", "/map/matches", "/map/directory", "/map/drawing"], module.Navigation.Select(l => l.Path));
        Assert.All(module.Navigation, l => Assert.All(new[] { l.Label.Fr, l.Label.Nl, l.Label.En }, t => Assert.False(string.IsNullOrWhiteSpace(t))));
        Assert.Equal("/map", Assert.Single(module.FirstRunSteps).Path);
    }

    [Fact]
    public void Every_code_a_rule_may_answer_is_listed_in_docs_problems_md()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "problems.md"));
        var section = docs[docs.IndexOf("\n## Modules", StringComparison.Ordinal)..];
        foreach (var code in new MapModule().Kinds.SelectMany(k => k.ProblemCodes).Distinct())
            Assert.Matches($@"\| `{code}` \| (404|409|422) \| map \|", section);
    }
}
