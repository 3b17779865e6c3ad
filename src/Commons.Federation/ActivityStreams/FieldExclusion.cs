using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// Removes a dataset's excluded fields from a record body before it leaves the node.
/// A path is dotted field names (<c>contact.email</c>). The first name is looked up in the top-level object,
/// each next one in the object found so far. When the path meets an array, the rest of the path applies to
/// every object in it (and in arrays nested in it), so <c>contacts.email</c> removes the e-mail of every
/// contact; numbers, strings and other scalars in arrays are left untouched. A path that leads nowhere
/// (missing field, a scalar in the way) removes nothing. Field names are compared exactly (case-sensitive).
/// </summary>
public static class FieldExclusion
{
    public static JsonElement Apply(JsonElement data, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) || paths.Count == 0) return data.ValueKind == JsonValueKind.Undefined ? data : data.Clone();
        var active = new List<(string[] Segments, int Index)>(paths.Count);
        foreach (var path in paths)
            if (!string.IsNullOrEmpty(path)) active.Add(((path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path).Split('.'), 0));
        if (active.Count == 0) return data.Clone();
        // Written once without the excluded members, straight from the parsed body (a node tree of the whole body,
        // written out and parsed again, was a third of what building a record's Note allocated). Same rule as ApplyInPlace.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ActivityStreamsContext.WireOptions.Encoder });
        writer.Reset(buffer);
        WriteWithout(writer, data, active);
        writer.Flush();
        var result = JsonElement.Parse(buffer.WrittenSpan); // a copy of its own
        if (buffer.Capacity > KeptBufferBytes) (t_buffer, t_writer) = (null, null);
        return result;
    }

    private const int KeptBufferBytes = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <paramref name="value"/> without the members the <paramref name="active"/> paths (each at its next segment) remove.</summary>
    private static void WriteWithout(Utf8JsonWriter writer, JsonElement value, List<(string[] Segments, int Index)> active)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in value.EnumerateObject())
                {
                    List<(string[] Segments, int Index)>? deeper = null;
                    var removed = false;
                    foreach (var (segments, index) in active)
                    {
                        if (!member.NameEquals(segments[index])) continue;
                        if (index == segments.Length - 1) removed = true;
                        else (deeper ??= []).Add((segments, index + 1));
                    }
                    if (removed) continue;
                    if (deeper is null) member.WriteTo(writer);
                    else
                    {
                        writer.WritePropertyName(member.Name);
                        WriteWithout(writer, member.Value, deeper);
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                // The rest of each path applies to every object (and nested array) in it.
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) WriteWithout(writer, item, active);
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>Removes the paths from <paramref name="node"/> in place.</summary>
    public static void ApplyInPlace(JsonNode? node, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (string.IsNullOrEmpty(path)) continue;
            var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            Remove(node, trimmed.Split('.'), 0);
        }
    }

    private static void Remove(JsonNode? node, string[] segments, int index)
    {
        switch (node)
        {
            case JsonObject obj:
                var name = segments[index];
                if (index == segments.Length - 1)
                {
                    obj.Remove(name);
                }
                else if (obj.TryGetPropertyValue(name, out var child))
                {
                    Remove(child, segments, index + 1);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject or JsonArray) Remove(item, segments, index);
                }
                break;
        }
    }
}
