namespace Commons.Modules.Committee.Tests;

/// <summary>The committee module sees Core and Platform only: no storage engine, no federation internals, no host, no other module.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void The_module_references_only_the_platform() => ModuleBoundary.ReferencesOnlyThePlatform(typeof(CommitteeModule).Assembly);
}
