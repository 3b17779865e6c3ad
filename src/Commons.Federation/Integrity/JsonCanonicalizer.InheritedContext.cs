using System.Buffers;
using System.Text.Json;

namespace Commons.Federation.Integrity;

/// <summary>
/// An object canonicalised as if it held an <c>@context</c> member it does not: an item of a collection page inherits the
/// page's context (the page drops the items' own), and its proof was made over the item with it. Writing the member in at
/// its sorted place spares a replica a copy of every item with the member added, parsed again.
/// </summary>
public static partial class JsonCanonicalizer
{
    /// <summary>
    /// SHA-256 of the canonical form of <paramref name="obj"/>'s members without <paramref name="skip"/>, plus an
    /// <c>@context</c> member of value <paramref name="context"/>; <paramref name="obj"/> must have no <c>@context</c> of its own.
    /// </summary>
    public static void HashObjectWithContextSha256(JsonElement obj, string? skip, JsonElement context, Span<byte> destination)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new FormatException("Not a JSON object.");
        if (obj.TryGetProperty(ContextKey, out _)) throw new InvalidOperationException("The object has an @context of its own.");
        Hash(b => WriteObjectWithContext(b, obj, skip, context), destination);
    }

    private static void WriteObjectWithContext(ArrayBufferWriter<byte> buffer, JsonElement element, string? skip, JsonElement context)
    {
        var members = ArrayPool<JsonProperty>.Shared.Rent(element.GetPropertyCount());
        try
        {
            var count = 0;
            foreach (var property in element.EnumerateObject())
                if (skip is null || !property.NameEquals(skip)) members[count++] = property;
            // Sorted by UTF-16 code units, as JCS orders names; the names are decoded, since this runs once a page item.
            var sorted = members.AsSpan(0, count);
            sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            buffer.Write("{"u8);
            var contextWritten = false;
            for (var i = 0; i < sorted.Length; i++)
            {
                var name = sorted[i].Name;
                if (i > 0 && name == sorted[i - 1].Name) throw new FormatException($"Duplicate member name '{name}'.");
                if (!contextWritten && string.CompareOrdinal(ContextKey, name) < 0)
                {
                    WriteContextMember(buffer, context, first: i == 0);
                    contextWritten = true;
                }
                if (i > 0 || contextWritten) buffer.Write(","u8);
                WriteString(buffer, name);
                buffer.Write(":"u8);
                Write(buffer, sorted[i].Value);
            }
            if (!contextWritten) WriteContextMember(buffer, context, first: sorted.Length == 0);
            buffer.Write("}"u8);
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    private static void WriteContextMember(ArrayBufferWriter<byte> buffer, JsonElement context, bool first)
    {
        if (!first) buffer.Write(","u8);
        buffer.Write("\"@context\":"u8);
        WriteContext(buffer, context);
    }
}
