using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.Integrity;

/// <summary>
/// The canonical forms of the last few JSON-LD <c>@context</c> values seen: a node's documents repeat the same few (2 KB
/// inline), and every eddsa-jcs-2022 proof of a document with a context canonicalises it twice (the document's and the
/// proof's), on the signing side as on the checking side. A context is known by its exact UTF-8 text: as parsed, or as a
/// <see cref="JsonNode"/> tree writes itself out (<see cref="TextOf"/>). At most <see cref="MaxRemembered"/>; any other
/// context is canonicalised as usual.
/// </summary>
internal static class CanonicalContexts
{
    public const int MaxRemembered = 8;
    private static readonly Lock Gate = new();
    private static (byte[] Raw, byte[] Canonical)[] _byText = [];

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

    /// <summary>
    /// The compact JSON text of a context built as nodes, written into a per-thread buffer: its key here. Writing a node
    /// tree out costs a fraction of comparing it member by member, and two trees with the same text are the same JSON data.
    /// </summary>
    public static ReadOnlySpan<byte> TextOf(JsonNode context)
    {
        var buffer = t_text ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        context.WriteTo(writer);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_text;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>What is remembered, for tests: each text beside the canonical form written for it.</summary>
    internal static IReadOnlyList<(byte[] Raw, byte[] Canonical)> Remembered => Volatile.Read(ref _byText);

    /// <summary>Forgets everything, for tests that need room to remember.</summary>
    internal static void Forget()
    {
        lock (Gate) Volatile.Write(ref _byText, []);
    }

    /// <summary>Whether a value is worth remembering: contexts given as arrays or objects (a lone IRI costs nothing).</summary>
    public static bool IsStructured(JsonElement context) => context.ValueKind is JsonValueKind.Array or JsonValueKind.Object;
}
