using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Records;

namespace Commons.Federation.ActivityStreams;

/// <summary>Records as ActivityStreams objects: a <c>Note</c> a Mastodon user can read (or what its kind's
/// <see cref="Core.Federation.IRecordObjectShape"/> makes of it: a proposal's <c>Question</c>), carrying the typed record
/// (excluded fields removed) under <c>commons:data</c>; a <c>Tombstone</c> once deleted or unshared.</summary>
public static class RecordObjects
{
    private static readonly string[] NameFields = ["name", "title", "label"];

    /// <summary>The Note of a live, shared record of a non-private dataset, with the dataset's excluded fields removed.</summary>
    public static JsonObject Note(Record record, Dataset dataset, ActivityUris uris, bool withContext = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(uris);
        if (dataset.Policy == SharingPolicy.Private) throw new InvalidOperationException($"Dataset '{dataset.Slug}' is private; its records never federate.");
        if (record.Deleted || record.Data.ValueKind == JsonValueKind.Undefined) throw new InvalidOperationException($"Record '{record.Id}' is deleted; publish its Tombstone.");
        if (!record.Shared) throw new InvalidOperationException($"Record '{record.Id}' is not shared.");

        var data = FieldExclusion.Apply(record.Data, dataset.ExcludedFields);
        var id = uris.Record(dataset.Slug, record.Id);
        var doc = withContext ? ActivityStreamsContext.NewDocument() : new JsonObject();
        doc["id"] = id;
        doc["type"] = "Note";
        doc["attributedTo"] = uris.DatasetActor(dataset.Slug);
        doc["name"] = DisplayName(data, record.Id, PublishedDisplay.Of(dataset));
        doc["content"] = Content(data);
        doc["published"] = AsJson.FormatTime(record.CreatedAt);
        doc["updated"] = AsJson.FormatTime(record.UpdatedAt);
        doc["url"] = id;
        Address(doc, dataset, uris);
        doc[ActivityStreamsContext.Revision] = record.Revision;
        // Over the parsed body itself (its nodes made only if something reads them), not its text parsed again. The node
        // reads `data` when the note is written, maybe after the record's document is disposed: safe because
        // FieldExclusion.Apply hands back an element of its own (a clone, free for an already cloned element, or a fresh
        // parse), never the caller's (RecordObjectTests.A_note_outlives_the_pooled_document_its_record_was_read_from).
        doc[ActivityStreamsContext.Data] = data.ValueKind == JsonValueKind.Object ? JsonObject.Create(data) : JsonNode.Parse(data.GetRawText());
        uris.Shapes.Apply(dataset, record with { Data = data }, doc);
        return doc;
    }

    /// <summary>What a deleted (or no longer shared) record becomes: <c>{id, type: Tombstone, formerType: Note, deleted}</c>.</summary>
    public static JsonObject Tombstone(string recordId, Dataset dataset, ActivityUris uris, DateTimeOffset deleted, bool withContext = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(uris);
        var doc = withContext ? ActivityStreamsContext.NewDocument() : new JsonObject();
        doc["id"] = uris.Record(dataset.Slug, recordId);
        doc["type"] = "Tombstone";
        doc["formerType"] = "Note";
        doc["deleted"] = AsJson.FormatTime(deleted);
        return doc;
    }

    /// <summary>Public datasets: <c>to</c> Public, <c>cc</c> followers. Others: <c>to</c> followers only.</summary>
    public static void Address(JsonObject doc, Dataset dataset, ActivityUris uris)
    {
        var followers = uris.DatasetFollowers(dataset.Slug);
        if (dataset.Policy == SharingPolicy.Public)
        {
            doc["to"] = new JsonArray(ActivityStreamsContext.PublicCollection);
            doc["cc"] = new JsonArray(followers);
        }
        else
        {
            doc["to"] = new JsonArray(followers);
        }
    }

    /// <summary>
    /// The record's title under <paramref name="display"/> (the dataset's title field); else the first non-blank string
    /// among the top-level fields <c>name</c>, <c>title</c>, <c>label</c>; else the id.
    /// </summary>
    public static string DisplayName(JsonElement data, string recordId, RecordDisplay? display = null)
    {
        if (display?.TitleOf(data) is { } title) return title;
        if (data.ValueKind == JsonValueKind.Object)
            foreach (var field in NameFields)
                if (data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
                    return v.GetString()!;
        return recordId;
    }

    /// <summary>
    /// The record as HTML a Mastodon user can read: one paragraph per top-level field, in the record's order,
    /// <c>&lt;p&gt;&lt;strong&gt;field&lt;/strong&gt;: value&lt;/p&gt;</c> (Mastodon's sanitiser keeps p and strong; it drops
    /// definition lists). Strings as text, other values as compact JSON, null as nothing; everything HTML-encoded.
    /// Give it data with the exclusions already removed.
    /// </summary>
    public static string Content(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return "";
        // One builder a thread, written straight into: a backfill page makes a thousand of these, and a string per field
        // (and per field's JSON) was most of what building a Note allocated.
        var sb = t_content ??= new StringBuilder(4096);
        sb.Clear();
        foreach (var field in data.EnumerateObject())
        {
            sb.Append("<p><strong>");
            ActorDocuments.AppendHtmlText(sb, field.Name);
            sb.Append("</strong>: ");
            switch (field.Value.ValueKind)
            {
                case JsonValueKind.String: ActorDocuments.AppendHtmlText(sb, field.Value.GetString()); break;
                case JsonValueKind.Null: break;
                default: AppendCompactJson(sb, field.Value); break;
            }
            sb.Append("</p>");
        }
        var html = sb.ToString();
        if (sb.Capacity > KeptBuilderChars) t_content = null;
        return html;
    }

    private const int KeptBuilderChars = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_content;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The value as compact JSON (as <see cref="ActivityStreamsContext.Compact"/> writes it), HTML-encoded.</summary>
    private static void AppendCompactJson(StringBuilder sb, JsonElement value)
    {
        var buffer = t_json ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ActivityStreamsContext.WireOptions.Encoder });
        writer.Reset(buffer);
        value.WriteTo(writer);
        writer.Flush();
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(buffer.WrittenCount));
        try
        {
            var count = Encoding.UTF8.GetChars(buffer.WrittenSpan, chars);
            ActorDocuments.AppendHtmlText(sb, chars.AsSpan(0, count));
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
        if (buffer.Capacity > KeptBuilderChars) (t_json, t_writer) = (null, null);
    }
}
