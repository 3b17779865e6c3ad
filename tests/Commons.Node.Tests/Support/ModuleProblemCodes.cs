using System.Text.RegularExpressions;
using Commons.Platform;

namespace Commons.Node.Tests.Support;

/// <summary>The "Modules" section of docs/problems.md against the codes the modules' kinds declare.</summary>
public static partial class ModuleProblemCodes
{
    public const string Heading = "\n## Modules";

    [GeneratedRegex(@"^\| `([a-z0-9_]+)` \| (\d{3}) \| `?([a-z][a-z0-9-]*)`? \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    /// <summary>The node's own table: the document before the modules' section.</summary>
    public static string CoreSection(string doc) => doc.IndexOf(Heading, StringComparison.Ordinal) is var i and >= 0 ? doc[..i] : doc;

    public static IReadOnlyList<(string Code, int Status, string Module)> Rows(string doc) =>
        doc.IndexOf(Heading, StringComparison.Ordinal) is var i and >= 0
            ? Row().Matches(doc[i..]).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value)).ToList()
            : [];

    /// <summary>What is wrong, one line each: a declared code missing from the table, a row no module declares, a code with two statuses.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<ICommonsModule> modules, string doc, IReadOnlyDictionary<string, int> coreStatuses)
    {
        var failures = new List<string>();
        var rows = Rows(doc);
        var declared = modules.SelectMany(m => m.Kinds.SelectMany(k => k.ProblemCodes).Distinct().Select(c => (Code: c, Module: m.Name))).ToList();
        foreach (var (code, module) in declared)
        {
            if (!SnakeCase().IsMatch(code)) failures.Add($"{module}: '{code}' is not snake_case");
            if (!rows.Any(r => r.Code == code && r.Module == module)) failures.Add($"{module}: '{code}' is not in the Modules section of docs/problems.md");
        }
        foreach (var row in rows.Where(r => !declared.Contains((r.Code, r.Module))))
            failures.Add($"docs/problems.md lists '{row.Code}' for module {row.Module}, whose kinds do not declare it");
        foreach (var same in rows.GroupBy(r => r.Code).Where(g => g.Select(r => r.Status).Distinct().Count() > 1))
            failures.Add($"'{same.Key}' has statuses {string.Join(", ", same.Select(r => $"{r.Status} ({r.Module})"))}");
        foreach (var row in rows.Where(r => coreStatuses.TryGetValue(r.Code, out var status) && status != r.Status))
            failures.Add($"'{row.Code}' of module {row.Module} is {row.Status}; the node uses it for {coreStatuses[row.Code]}");
        return failures;
    }
}
