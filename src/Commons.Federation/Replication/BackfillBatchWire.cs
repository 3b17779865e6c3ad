using System.Buffers;
using System.Text.Json;
using Commons.Federation.ActivityStreams;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Commons.Federation.Replication;

/// <summary>
/// The MessagePack array of a backfill batch, [items, last, next, lastSeq], written and read by hand inside the library's
/// serializer (which keeps its LZ4 block-array compression and its untrusted-data limits). Written as an <c>object[]</c>
/// of <c>byte[]</c> items, each item's JSON was made into an array of its own and then copied into the page; read as one,
/// each item's bytes were copied out of the page and then again by the JSON parser. Here an item's JSON is written once
/// into a reused buffer and copied into the page, and parsed straight from the decompressed page. Same bytes on the wire.
/// </summary>
internal static class BackfillBatchWire
{
    internal static readonly IFormatterResolver Resolver = CompositeResolver.Create(
        [new PageFormatter(), new DecodedFormatter()], [StandardResolver.Instance]);

    /// <summary>The items, <c>commons:last</c> and the next page's start, as read from a batch.</summary>
    internal sealed record Decoded(IReadOnlyList<JsonElement> Items, long Last, long? Next);

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = ActivityStreamsContext.WireOptions.Encoder,
        Indented = ActivityStreamsContext.WireOptions.WriteIndented,
    };

    private sealed class PageFormatter : IMessagePackFormatter<BackfillFeed.Page>
    {
        public void Serialize(ref MessagePackWriter writer, BackfillFeed.Page value, MessagePackSerializerOptions options)
        {
            writer.WriteArrayHeader(4);
            writer.WriteArrayHeader(value.Items.Count);
            var json = new ArrayBufferWriter<byte>(8192);
            using var jsonWriter = new Utf8JsonWriter(json, WriterOptions);
            foreach (var item in value.Items)
            {
                json.ResetWrittenCount();
                jsonWriter.Reset(json);
                if (item is null) jsonWriter.WriteNullValue();
                else item.WriteTo(jsonWriter, ActivityStreamsContext.WireOptions);
                jsonWriter.Flush();
                writer.Write(json.WrittenSpan);
            }
            // Full 64-bit integers, as the library writes a boxed long: the bytes of a batch stay what they were.
            writer.WriteInt64(value.Last);
            if (value.Next is { } next) writer.WriteInt64(next);
            else writer.WriteNil();
            writer.WriteInt64(value.LastSeq);
        }

        public BackfillFeed.Page Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            throw new NotSupportedException("a batch is read as BackfillBatchWire.Decoded");
    }

    private sealed class DecodedFormatter : IMessagePackFormatter<Decoded>
    {
        public void Serialize(ref MessagePackWriter writer, Decoded value, MessagePackSerializerOptions options) =>
            throw new NotSupportedException("a batch is written from a BackfillFeed.Page");

        public Decoded Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            var length = reader.ReadArrayHeader();
            if (length < 3) throw new FormatException("not a backfill batch");
            options.Security.DepthStep(ref reader);
            var count = reader.ReadArrayHeader();
            // The count is the sender's: the list grows with what is really there, not with what it claims.
            var items = new List<JsonElement>(Math.Min(count, 1024));
            for (var i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.Binary) throw new FormatException("an item is not JSON bytes");
                var bytes = reader.ReadBytes()!.Value;
                items.Add(bytes.IsSingleSegment ? JsonElement.Parse(bytes.FirstSpan) : JsonElement.Parse(bytes.ToArray()));
            }
            reader.Depth--;
            var last = reader.ReadInt64();
            long? next = reader.TryReadNil() ? null : reader.ReadInt64();
            for (var i = 3; i < length; i++) reader.Skip();
            return new Decoded(items, last, next);
        }
    }
}
