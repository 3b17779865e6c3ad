using System.Text.Json;
using System.Text.RegularExpressions;

namespace Commons.Core.Schemas;

/// <summary>
/// What a dataset schema must not ask of validation, judged before it is saved: no <c>$ref</c> that leads back to where
/// it started (validation would follow it for ever: the stack overflows and the process dies), no reference that
/// leads nowhere, bounded size once references are followed, and a bounded number of regular expressions that all
/// compile. Recursive schemas are refused as a whole, even those that would stop as a record's nesting ends: the rule
/// is simple to state and to check, and records nest at most a few levels.
/// </summary>
public static class SchemaAnalysis
{
    private const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The problems found, each at a JSON Pointer into the schema (empty when the schema may be saved).</summary>
    public static IReadOnlyList<(string Pointer, string Message)> Problems(JsonElement root)
    {
        var map = SchemaMap.Of(root);
        var problems = new List<(string, string)>();
        if (map.Count > SchemaLimits.MaxSubschemas)
            problems.Add(("", $"the schema has {map.Count} subschemas; at most {SchemaLimits.MaxSubschemas}"));
        foreach (var (pointer, value) in map.NestedDialects)
            if (value != Dialect) problems.Add((pointer, "only JSON Schema 2020-12 is supported"));
        foreach (var (pointer, value) in map.Unresolved)
            problems.Add((pointer, $"'{value}' points to nothing in this schema"));
        CheckPatterns(map, problems);
        if (FindCycle(map) is { } cycle)
            problems.Add((cycle[0], $"this reference leads back to where it started ({string.Join(" → ", cycle.Select(p => "#" + p))}); recursive schemas are not supported"));
        else if (Measure(map) is var (size, depth))
        {
            if (size > SchemaLimits.MaxExpandedSubschemas)
                problems.Add(("", $"following its $refs, the schema grows to more than {SchemaLimits.MaxExpandedSubschemas} subschemas; share fewer references"));
            // Validation refuses to follow references deeper than this, so a schema that needs it is refused now.
            if (depth > SchemaLimits.MaxRefDepth)
                problems.Add(("", $"following its $refs, subschemas nest {depth} deep; at most {SchemaLimits.MaxRefDepth}"));
        }
        return problems;
    }

    private static void CheckPatterns(SchemaMap map, List<(string, string)> problems)
    {
        if (map.Patterns.Count > SchemaLimits.MaxPatterns)
            problems.Add(("", $"the schema has {map.Patterns.Count} regular expressions; at most {SchemaLimits.MaxPatterns}"));
        foreach (var (pointer, pattern) in map.Patterns.Take(SchemaLimits.MaxPatterns))
        {
            if (pattern.Length > SchemaLimits.MaxPatternLength)
            {
                problems.Add((pointer, $"a regular expression of at most {SchemaLimits.MaxPatternLength} characters"));
                continue;
            }
            // The same options the validator compiles it with (ECMAScript), without compiling it to code.
            try { _ = new Regex(pattern, RegexOptions.ECMAScript, SchemaLimits.PatternTimeout); }
            catch (ArgumentException e) { problems.Add((pointer, $"not a usable regular expression: {e.Message}")); }
        }
    }

    /// <summary>A path of subschemas that comes back to its first one, if any (found depth-first, without recursion).</summary>
    private static List<string>? FindCycle(SchemaMap map)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: done
        foreach (var start in map.Applies.Keys)
        {
            if (state.ContainsKey(start)) continue;
            var path = new List<string> { start };
            var next = new Stack<int>();
            next.Push(0);
            state[start] = false;
            while (path.Count > 0)
            {
                var node = path[^1];
                var i = next.Pop();
                var children = map.Applies[node];
                if (i == children.Count)
                {
                    state[node] = true;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                next.Push(i + 1);
                var child = children[i];
                if (!state.TryGetValue(child, out var done))
                {
                    state[child] = false;
                    path.Add(child);
                    next.Push(0);
                }
                else if (!done)
                    return [.. path[path.IndexOf(child)..], child];
            }
        }
        return null;
    }

    /// <summary>
    /// The tree of subschemas reached from the root with every reference followed: its size (capped once past the limit)
    /// and its depth.
    /// </summary>
    private static (long Size, int Depth) Measure(SchemaMap map)
    {
        var size = new Dictionary<string, long>(StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        // Children before parents: the graph has no cycle here, so a post-order walk gives each node once.
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(string Node, bool Expanded)>();
        stack.Push(("", false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded) { order.Add(node); continue; }
            if (!seen.Add(node)) continue;
            stack.Push((node, true));
            foreach (var child in map.Applies[node]) if (!seen.Contains(child)) stack.Push((child, false));
        }
        foreach (var node in order)
        {
            size[node] = Math.Min(SchemaLimits.MaxExpandedSubschemas + 1, 1 + map.Applies[node].Sum(c => size[c]));
            depth[node] = 1 + map.Applies[node].Select(c => depth[c]).DefaultIfEmpty(0).Max();
        }
        return (size[""], depth[""]);
    }
}
