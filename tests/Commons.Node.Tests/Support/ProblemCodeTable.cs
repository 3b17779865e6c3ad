using System.Reflection;
using Commons.Core.Errors;

namespace Commons.Node.Tests.Support;

/// <summary>The codes a problem may carry: the constants of <see cref="ProblemCodes"/>.</summary>
public static class ProblemCodeTable
{
    public static readonly IReadOnlySet<string> Codes = typeof(ProblemCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet();

    public static readonly IReadOnlyDictionary<string, string> NameOf = typeof(ProblemCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .ToDictionary(f => (string)f.GetRawConstantValue()!, f => f.Name);

    /// <summary>The codes the kinds of the node's modules declare (docs/problems.md, "Modules").</summary>
    public static readonly IReadOnlySet<string> ModuleCodes = Hosting.Modules.NodeModules.All
        .SelectMany(m => m.Kinds).SelectMany(k => k.ProblemCodes).ToHashSet();

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (Commons.Node.sln) was not found above " + AppContext.BaseDirectory);
    }
}
