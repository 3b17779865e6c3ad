using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using System.Text.Json;
using Commons.Core.Errors;

namespace Commons.Core.Json;

/// <summary>Why a body is not JSON this node accepts: a <see cref="ProblemCodes"/> code, the JSON path (when known) and a sentence.</summary>
public sealed record StrictJsonError(string Code, string? Path, string Message);

/// <summary>
/// Parses request bodies as the node accepts them: valid UTF-8, no duplicate property names at any depth (a later value
/// silently winning would let a body mean two things), no string or name that is not valid Unicode (a lone UTF-16
/// surrogate escape such as <c>"\ud800"</c> cannot be stored or re-encoded), and at most <c>maxDepth</c> levels.
/// Each refusal says which rule failed, so a truncated body is not reported as nested too deep.
/// </summary>
public static class StrictJson
{
    // Far above any accepted depth, so a failure under it is about syntax, not nesting.
    private const int DiagnosticDepth = 1 << 20;

    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body, int maxDepth, out StrictJsonError? error)
    {
        error = null;
        if (!Utf8.IsValid(body.Span))
        {
            error = new(ProblemCodes.InvalidUnicode, null, "the body is not valid UTF-8");
            return null;
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            error = Diagnose(body, maxDepth, e);
            return null;
        }
        // Names are checked for surrogates before duplicates: comparing names unescapes them, which throws on a lone one.
        if (FirstInvalidText(doc.RootElement) is { } path)
        {
            doc.Dispose();
            error = new(ProblemCodes.InvalidUnicode, path, InvalidTextMessage);
            return null;
        }
        try
        {
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            doc.Dispose();
            var at = PathOf(e);
            error = new(ProblemCodes.DuplicateKey, at, $"{at ?? "an object"} has the same property name twice");
            return null;
        }
        return doc;
    }

    /// <summary>Parses again with no depth limit to tell nesting from syntax, and a syntax error at the very end from one inside.</summary>
    private static StrictJsonError Diagnose(ReadOnlyMemory<byte> body, int maxDepth, JsonException strict)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty) return new(ProblemCodes.MalformedJson, null, "the body is empty; a JSON document is required");
        if (Parses(body, DiagnosticDepth)) return new(ProblemCodes.JsonTooDeep, null, $"the JSON is nested deeper than {maxDepth} levels");
        return EndsEarly(body)
            ? new(ProblemCodes.MalformedJson, null, "the JSON ends before it is complete (is the body truncated?)")
            : new(ProblemCodes.MalformedJson, PathOf(strict), $"malformed JSON at line {strict.LineNumber + 1}, byte {strict.BytePositionInLine + 1}");
    }

    private static bool Parses(ReadOnlyMemory<byte> body, int maxDepth)
    {
        try
        {
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True when every byte is a valid prefix of a JSON document: the reader, told more may come, runs out without an error.</summary>
    private static bool EndsEarly(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = DiagnosticDepth }));
        try
        {
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? PathOf(JsonException e) => string.IsNullOrEmpty(e.Path) ? null : e.Path;

    public const string InvalidTextMessage = "the text is not valid Unicode (a lone UTF-16 surrogate escape)";

    /// <summary>
    /// The path of the first property name or string that is not valid UTF-16, or null. Reading such a string throws
    /// InvalidOperationException, so whatever reads it later (schema validation, storage) would fail with a 500.
    /// </summary>
    public static string? FirstInvalidText(JsonElement element) => AllTextValid(element) ? null : FirstInvalidString(element, "$");

    /// <summary>
    /// One pass of a reader over the element's own UTF-8, with no string made: a string or name without escapes is valid
    /// Unicode exactly when its bytes are valid UTF-8 (which cannot encode a surrogate), so only escaped ones are decoded,
    /// into a buffer. Its verdict is the element walk's; the walk, which builds paths, runs only to say where the fault is.
    /// </summary>
    private static bool AllTextValid(JsonElement element)
    {
        // The element may come from a document read with comments or trailing commas allowed; its raw text keeps them.
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element),
            new JsonReaderOptions { MaxDepth = DiagnosticDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        char[]? rented = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                if (!reader.ValueIsEscaped)
                {
                    if (!Utf8.IsValid(reader.ValueSpan)) return false;
                    continue;
                }
                // Unescaping never lengthens: one UTF-8 byte or escape gives at most one UTF-16 unit.
                var length = reader.ValueSpan.Length;
                if (rented is null || rented.Length < length)
                {
                    if (rented is not null) ArrayPool<char>.Shared.Return(rented);
                    rented = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
                }
                int written;
                try { written = reader.CopyString(rented); }
                catch (InvalidOperationException) { return false; }
                if (HasLoneSurrogate(rented.AsSpan(0, written))) return false;
            }
            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string? FirstInvalidString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidText(element) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return path; }
                    if (HasLoneSurrogate(name)) return path;
                    if (FirstInvalidString(property.Value, $"{path}.{name}") is { } found) return found;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (FirstInvalidString(item, $"{path}[{i++}]") is { } found) return found;
                return null;
            default:
                return null;
        }
    }

    private static bool IsValidText(JsonElement element)
    {
        try
        {
            return element.GetString() is not { } s || !HasLoneSurrogate(s);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return true;
        }
        return false;
    }
}
