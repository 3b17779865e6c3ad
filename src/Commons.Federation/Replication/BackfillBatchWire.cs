using System.Buffers;
using System.Text.Json;
using Commons.Federation.ActivityStreams;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Commons.Federation.Replication;

/// <summary>
/// The MessagePack array of a backfill batch, [items, last, next, lastSeq], written by hand inside the library's
/// serializer (which keeps its LZ4 block-array compression). Written as an <c>object[]</c> of <c>byte[]</c> items, each
/// item's JSON was made into an array of its own and then copied into the page; here it is written once into a reused
/// buffer and copied into the page. Same bytes on the wire.
/// </summary>
internal static class BackfillBatchWire
{
    internal static readonly IFormatterResolver Resolver = CompositeResolver.Create(
        [new PageFormatter()], [StandardResolver.Instance]);

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
            throw new NotSupportedException("a batch is read by BackfillBatch.Decode");
    }
}
