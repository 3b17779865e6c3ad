using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.Integrity;

/// <summary>
/// The canonical forms of the last few JSON-LD <c>@context</c> values seen: a node's documents repeat the same few (2 KB
/// inline), and every eddsa-jcs-2022 proof of a document with a context canonicalises it twice (the document's and the
/// proof's), on the signing side as on the checking side. A parsed context is known by its exact UTF-8 text; a
/// <see cref="JsonNode"/> context by <see cref="JsonNode.DeepEquals"/> (equal JSON data has one canonical form). At most
/// <see cref="MaxRemembered"/> of each; any other context is canonicalised as usual.
/// </summary>
internal static class CanonicalContexts
{
    public const int MaxRemembered = 8;
    private static readonly Lock Gate = new();
    private static (byte[] Raw, byte[] Canonical)[] _byText = [];
    private static (JsonNode Context, byte[] Canonical)[] _byTree = [];

    /// <summary>Writes the remembered canonical form of the context whose text is <paramref name="raw"/>, if there is one.</summary>
    public static bool TryWrite(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> raw)
    {
        foreach (var (knownRaw, canonical) in Volatile.Read(ref _byText))
        {
            if (raw.SequenceEqual(knownRaw))
            {
                buffer.Write(canonical);
                return true;
            }
        }
        return false;
    }

    public static void Remember(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> canonical)
    {
        if (Volatile.Read(ref _byText).Length >= MaxRemembered) return;
        var entry = (raw.ToArray(), canonical.ToArray());
        lock (Gate)
        {
            if (_byText.Length < MaxRemembered) Volatile.Write(ref _byText, [.. _byText, entry]);
        }
    }

    /// <summary>Writes the remembered canonical form of a context equal to <paramref name="context"/>, if there is one.</summary>
    public static bool TryWrite(ArrayBufferWriter<byte> buffer, JsonNode context)
    {
        foreach (var (known, canonical) in Volatile.Read(ref _byTree))
        {
            if (JsonNode.DeepEquals(known, context))
            {
                buffer.Write(canonical);
                return true;
            }
        }
        return false;
    }

    public static void Remember(JsonNode context, ReadOnlySpan<byte> canonical)
    {
        if (Volatile.Read(ref _byTree).Length >= MaxRemembered) return;
        // A copy the caller cannot change; compared once here so that every lazily built member of it exists before
        // other threads read it.
        var copy = context.DeepClone();
        if (!JsonNode.DeepEquals(copy, context)) return;
        var entry = (copy, canonical.ToArray());
        lock (Gate)
        {
            if (_byTree.Length < MaxRemembered) Volatile.Write(ref _byTree, [.. _byTree, entry]);
        }
    }

    /// <summary>Whether a value is worth remembering: contexts given as arrays or objects (a lone IRI costs nothing).</summary>
    public static bool IsStructured(JsonElement context) => context.ValueKind is JsonValueKind.Array or JsonValueKind.Object;
}
