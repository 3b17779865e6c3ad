using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// The JSON-LD <c>@context</c> every document we publish carries: ActivityStreams, security/v1, and an inline
/// object defining each extension term we use (as Mastodon inlines its own), so no peer has to fetch a context.
/// <c>spec/context.jsonld</c> holds the same context as a document.
/// </summary>
public static class ActivityStreamsContext
{
    public const string ActivityStreams = "https://www.w3.org/ns/activitystreams";
    public const string SecurityV1 = "https://w3id.org/security/v1";
    /// <summary>Our vocabulary. The IRI is ours (Commons Node); it need not resolve.</summary>
    public const string CommonsNamespace = "https://w3id.org/commons-node/ns#";
    public const string PublicCollection = "https://www.w3.org/ns/activitystreams#Public";

    /// <summary>The media type we send and ask for.</summary>
    public const string ActivityJson = "application/activity+json";
    public const string LdJson = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    // Term names the builders emit.
    public const string Policy = "commons:policy";
    public const string License = "commons:license";
    public const string Schema = "commons:schema";
    public const string Revision = "commons:revision";
    public const string Data = "commons:data";
    /// <summary>On a backfill page: the last change sequence number the page covers (the follower's checkpoint).</summary>
    public const string Last = "commons:last";
    /// <summary>On a backfill page: the dataset's latest change sequence number.</summary>
    public const string LastSeq = "commons:lastSeq";
    public const string Count = "commons:count";
    public const string Digest = "commons:digest";
    /// <summary>On a dataset actor: the kind of the dataset (absent for <c>custom</c>).</summary>
    public const string Kind = "commons:kind";
    /// <summary>On a dataset actor: the field that names a record (its title), as the stewards chose it or by default.</summary>
    public const string TitleField = "commons:titleField";
    /// <summary>On a dataset actor: the fields shown as a table's columns besides the title, in order.</summary>
    public const string Columns = "commons:columns";
    /// <summary>On a dataset actor: the views its kind publishes beside the records, <c>{name: url}</c> (absent when none).</summary>
    public const string Views = "commons:views";
    /// <summary>The object type of a request between nodes (the object of an <c>Offer</c>).</summary>
    public const string Request = "commons:Request";
    public const string RequestType = "commons:requestType";
    /// <summary>On a Reject of a request: the refusal's stable code.</summary>
    public const string Code = "commons:code";
    /// <summary>On an Accept of a request: what was done (the booking made).</summary>
    public const string Result = "commons:result";

    private const string InlineJson = """
    {
      "as": "https://www.w3.org/ns/activitystreams#",
      "sec": "https://w3id.org/security#",
      "toot": "http://joinmastodon.org/ns#",
      "xsd": "http://www.w3.org/2001/XMLSchema#",
      "commons": "https://w3id.org/commons-node/ns#",
      "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
      "discoverable": "toot:discoverable",
      "votersCount": "toot:votersCount",
      "Multikey": "sec:Multikey",
      "assertionMethod": { "@id": "sec:assertionMethod", "@type": "@id", "@container": "@set" },
      "controller": { "@id": "sec:controller", "@type": "@id" },
      "publicKeyMultibase": { "@id": "sec:publicKeyMultibase", "@type": "sec:multibase" },
      "DataIntegrityProof": "sec:DataIntegrityProof",
      "proof": { "@id": "sec:proof", "@type": "@id", "@container": "@graph" },
      "cryptosuite": { "@id": "sec:cryptosuite", "@type": "sec:cryptosuiteString" },
      "proofPurpose": { "@id": "sec:proofPurpose", "@type": "@vocab" },
      "proofValue": { "@id": "sec:proofValue", "@type": "sec:multibase" },
      "verificationMethod": { "@id": "sec:verificationMethod", "@type": "@id" },
      "commons:policy": { "@id": "commons:policy" },
      "commons:license": { "@id": "commons:license" },
      "commons:schema": { "@id": "commons:schema", "@type": "@json" },
      "commons:revision": { "@id": "commons:revision", "@type": "xsd:integer" },
      "commons:data": { "@id": "commons:data", "@type": "@json" },
      "commons:last": { "@id": "commons:last", "@type": "xsd:integer" },
      "commons:lastSeq": { "@id": "commons:lastSeq", "@type": "xsd:integer" },
      "commons:count": { "@id": "commons:count", "@type": "xsd:integer" },
      "commons:digest": { "@id": "commons:digest" },
      "commons:kind": { "@id": "commons:kind" },
      "commons:titleField": { "@id": "commons:titleField" },
      "commons:columns": { "@id": "commons:columns", "@container": "@list" },
      "commons:views": { "@id": "commons:views", "@type": "@json" },
      "commons:Request": "commons:Request",
      "commons:requestType": { "@id": "commons:requestType" },
      "commons:code": { "@id": "commons:code" },
      "commons:result": { "@id": "commons:result", "@type": "@json" }
    }
    """;

    private static readonly JsonArray Template = new(
        JsonValue.Create(ActivityStreams),
        JsonValue.Create(SecurityV1),
        JsonNode.Parse(InlineJson));

    /// <summary>The inline term definitions (the third entry of the context).</summary>
    public static JsonObject InlineTerms => Template[2]!.DeepClone().AsObject();

    /// <summary>The context as a read-only element.</summary>
    public static JsonElement Element => LazyElement.Value;
    private static readonly Lazy<JsonElement> LazyElement = new(() => ToElement(Template));

    /// <summary>A fresh copy of the context array (a node can belong to one document only).</summary>
    public static JsonArray Create() => Template.DeepClone().AsArray();

    /// <summary>The document published as <c>spec/context.jsonld</c>: <c>{"@context": [...]}</c>.</summary>
    public static JsonObject Document() => new() { ["@context"] = Create() };

    /// <summary>A new document that starts with <c>@context</c>.</summary>
    internal static JsonObject NewDocument() => new() { ["@context"] = Create() };

    /// <summary>Serialisation for the wire: UTF-8, no indentation, non-ASCII and HTML characters left unescaped
    /// (the documents are served as JSON, never embedded in HTML).</summary>
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static byte[] Serialize(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireOptions.Encoder }))
            document.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A node as a detached element (no reflection: safe under trimming and AOT).</summary>
    internal static JsonElement ToElement(JsonNode node)
    {
        using var doc = JsonDocument.Parse(Serialize(node));
        return doc.RootElement.Clone();
    }

    /// <summary>An element as compact wire JSON (no reflection).</summary>
    internal static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireOptions.Encoder }))
            element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string SerializeToString(JsonNode document) => document.ToJsonString(WireOptions);
}
