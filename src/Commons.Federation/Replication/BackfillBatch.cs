using System.Text.Json;
using MessagePack;

using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>
/// The MessagePack form of a backfill page, for large datasets: an array [items, last, next, lastSeq], each item JSON as
/// UTF-8 bytes (so its proofs stay exactly as signed), the whole compressed with LZ4 block arrays — the repeated keys of a
/// page compress well. Two versions, negotiated by Accept: <see cref="MediaType"/> (v1), whose items are the signed
/// activities, and <see cref="RecordObjectsMediaType"/> (v2), whose items are the signed record objects alone (spec §10.2).
/// </summary>
public static class BackfillBatch
{
    /// <summary>v1: each item a signed Create or Delete embedding its signed record object (two proofs).</summary>
    public const string MediaType = "application/vnd.commons-node.batch+msgpack";

    /// <summary>v2: each item a signed record object (Note or Tombstone), its one proof; everything a follower keeps is in it.
    /// A subtype of its own, so that neither version's name is found inside the other's in an Accept or Content-Type.</summary>
    public const string RecordObjectsMediaType = "application/vnd.commons-node.batch.v2+msgpack";

    /// <summary>What a follower sends, in its order of preference: v2, then v1 (an origin of an earlier release knows only
    /// that one), then the public JSON page (another implementation's outbox).</summary>
    public const string Accept = RecordObjectsMediaType + ", " + MediaType + ", " + Http.SignedHttpClient.ActivityAccept;

    /// <summary>
    /// The batch version an Accept header asks for: v2 when it names it, else v1 when it names that, else none (the JSON page).
    /// </summary>
    public static string? Negotiate(string? accept) =>
        accept is null ? null
        : accept.Contains(RecordObjectsMediaType, StringComparison.OrdinalIgnoreCase) ? RecordObjectsMediaType
        : accept.Contains(MediaType, StringComparison.OrdinalIgnoreCase) ? MediaType
        : null;
    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithCompression(MessagePackCompression.Lz4BlockArray)
        .WithSecurity(MessagePackSecurity.UntrustedData);
    private static readonly MessagePackSerializerOptions WireOptions = Options.WithResolver(BackfillBatchWire.Resolver);

    public static byte[] Encode(BackfillFeed.Page page) => MessagePackSerializer.Serialize(page, WireOptions);

    /// <summary>Reads a batch; throws <see cref="FormatException"/> for anything else.</summary>
    public static (IReadOnlyList<JsonElement> Items, long Last, long? Next) Decode(byte[] bytes)
    {
        try
        {
            var wire = MessagePackSerializer.Deserialize<object?[]>(bytes, Options);
            if (wire is not { Length: >= 3 } || wire[0] is not object[] raw) throw new FormatException("not a backfill batch");
            // Parsed straight into an element of its own (a pooled document cloned would parse, then copy, each item).
            var items = raw.Select(item => item is byte[] b ? JsonElement.Parse(b) : throw new FormatException("an item is not JSON bytes")).ToList();
            return (items, Convert.ToInt64(wire[1]), wire[2] is null ? null : Convert.ToInt64(wire[2]));
        }
        catch (MessagePackSerializationException e) { throw new FormatException($"not a backfill batch: {e.Message}", e); }
        catch (JsonException e) { throw new FormatException($"an item is not JSON: {e.Message}", e); }
    }

    /// <summary>The JSON form (an OrderedCollectionPage whose orderedItems are the activities): items, last, next.</summary>
    public static (IReadOnlyList<JsonElement> Items, long Last, long? Next) DecodeJson(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            // A collection page drops the @context of the activities it embeds (they inherit the page's); their proofs were
            // made with it, so each item gets the page's @context back before its proof is checked.
            var context = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("@context", out var c) ? c : default;
            var items = ActivityStreams.AsJson.Values(root, "orderedItems").Select(i => WithContext(i, context)).ToList();
            var last = ActivityStreams.AsJson.Integer(root, ActivityStreams.ActivityStreamsContext.Last) ?? throw new FormatException("the page has no commons:last");
            var next = ActivityStreams.AsJson.Integer(root, ActivityStreams.ActivityStreamsContext.LastSeq) is { } lastSeq && lastSeq > last ? last : (long?)null;
            return (items, last, next);
        }
        catch (JsonException e) { throw new FormatException($"not a backfill page: {e.Message}", e); }
    }

    /// <summary>
    /// The JSON form read for applying: the page parsed once and its items left in it, with the page's @context for the items
    /// to inherit in their proof checks (<see cref="Integrity.EddsaJcs2022Cryptosuite.Verify(JsonElement, JsonElement, Signatures.Keys.Ed25519VerificationKey)"/>)
    /// instead of each item written out again with it and parsed again (<see cref="DecodeJson"/>).
    /// </summary>
    public static (IReadOnlyList<JsonElement> Items, JsonElement InheritedContext, long Last, long? Next) DecodeJsonPage(byte[] bytes)
    {
        try
        {
            var root = JsonElement.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            var context = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("@context", out var c) ? c : default;
            var items = ActivityStreams.AsJson.Values(root, "orderedItems").ToList();
            var last = ActivityStreams.AsJson.Integer(root, ActivityStreams.ActivityStreamsContext.Last) ?? throw new FormatException("the page has no commons:last");
            var next = ActivityStreams.AsJson.Integer(root, ActivityStreams.ActivityStreamsContext.LastSeq) is { } lastSeq && lastSeq > last ? last : (long?)null;
            return (items, context, last, next);
        }
        catch (JsonException e) { throw new FormatException($"not a backfill page: {e.Message}", e); }
    }

    private static JsonElement WithContext(JsonElement item, JsonElement context)
    {
        if (item.ValueKind != JsonValueKind.Object || context.ValueKind == JsonValueKind.Undefined || item.TryGetProperty("@context", out _)) return item.Clone();
        // Written member by member from the parsed page: the item's own text, with @context first, parsed once.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ActivityStreamsContext.WireOptions.Encoder, SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("@context");
            context.WriteTo(writer);
            foreach (var property in item.EnumerateObject()) property.WriteTo(writer);
            writer.WriteEndObject();
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

}
