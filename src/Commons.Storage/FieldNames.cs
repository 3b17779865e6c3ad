using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Commons.Storage;

/// <summary>
/// Field names as strings, each distinct one made once: a dataset's records repeat the same few names, and converting
/// every body to BSON would otherwise make a string per field per record. Bounded, so that bodies with ever new names
/// cannot grow it without end: past <see cref="Capacity"/> names, a name is made each time, as before.
/// </summary>
internal static class FieldNames
{
    public const int Capacity = 4096;
    private const int LongestKept = 64;

    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownByChars =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int _count;

    /// <summary>The property's name, as <see cref="JsonProperty.Name"/> gives it.</summary>
    public static string Of(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        // An escaped name is unescaped by the property itself; so is a name that is not valid UTF-8 (which it refuses).
        if (raw.Length > LongestKept || raw.Contains((byte)'\\')) return property.Name;
        Span<char> chars = stackalloc char[LongestKept];
        if (Utf8.ToUtf16(raw, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done) return property.Name;
        var name = chars[..written];
        if (KnownByChars.TryGetValue(name, out var known)) return known;
        var made = new string(name);
        if (Volatile.Read(ref _count) < Capacity && Known.TryAdd(made, made)) Interlocked.Increment(ref _count);
        return made;
    }
}
