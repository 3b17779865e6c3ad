using System.Reflection;
using Xunit;

namespace Commons.Modules.Testing;

/// <summary>What every module's boundary test checks the same way: it sees Core and Platform, never a storage engine, the federation's internals, the host or another module.</summary>
public static class ModuleBoundary
{
    public static void ReferencesOnlyThePlatform(Assembly module)
    {
        var references = module.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("Commons.Core", references);
        Assert.Contains("Commons.Platform", references);
        Assert.DoesNotContain(references, n => n.StartsWith("LiteDB", StringComparison.OrdinalIgnoreCase)
            || n is "Commons.Storage" or "Commons.Federation" or "commons-node" || n.StartsWith("Commons.Modules.", StringComparison.Ordinal));
    }
}
