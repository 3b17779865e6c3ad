using System.Text.Json;
using Commons.Core.Errors;

namespace Commons.Core.Schemas;

/// <summary>
/// JsonSchema.Net 8.0.5 compares numbers for <c>enum</c>, <c>const</c>, <c>uniqueItems</c> and <c>contains</c> as
/// <see cref="decimal"/>, and throws <see cref="FormatException"/> on a number beyond decimal's range (more than 28 digits
/// before the point, such as 2^96, or 1e400). A member can send such a number, so the throw must become a field error
/// naming the number, not a server error.
/// </summary>
internal static class UncomparableNumbers
{
    public const string Message = "is a number too large to compare with the schema's values (at most 28 digits before the decimal point)";

    /// <summary>The error for a record the library could not compare: at the first such number, or at the root if none is found.</summary>
    public static FieldError ErrorFor(JsonElement data, FormatException e) =>
        First(data, "$", depth: 0) is { } path
            ? new FieldError(path, Message)
            : new FieldError("$", $"the record cannot be checked against the dataset's schema ({e.Message})");

    private static string? First(JsonElement e, string path, int depth)
    {
        // The record was already parsed within the node's depth limit; the bound here only keeps the walk itself finite.
        if (depth > 256) return null;
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return e.TryGetDecimal(out _) ? null : path;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                    if (First(item, $"{path}[{i++}]", depth + 1) is { } found) return found;
                return null;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                    if (First(p.Value, path + RecordSchema.PathSegment(p.Name), depth + 1) is { } found) return found;
                return null;
            default:
                return null;
        }
    }
}
