using System.Text.Json;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// An activity received from a peer, read tolerantly: the first type we know among its types (or the first type),
/// the actor's id, the object's id and, when the object is embedded, the object itself. Addressing is the union of
/// single values and arrays in <c>to</c> and <c>cc</c>.
/// </summary>
public sealed record IncomingActivity
{
    /// <summary>The types this node acts on; anything else is acknowledged and ignored.</summary>
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Create", "Update", "Delete", "Follow", "Accept", "Reject", "TentativeAccept", "Undo", "Offer", "Announce", "Like", "Add", "Remove", "Block", "Move", "Flag",
    };

    /// <summary>May be null: some servers send transient activities without an id.</summary>
    public string? Id { get; init; }
    public required string Type { get; init; }
    public IReadOnlyList<string> Types { get; init; } = [];
    public required string ActorId { get; init; }
    /// <summary>The object's id (from a URI string or an embedded object's id); null for an embedded object without id.</summary>
    public string? ObjectId { get; init; }
    /// <summary>The embedded object, when the activity carries one (not just a URI).</summary>
    public JsonElement? Object { get; init; }
    public IReadOnlyList<string> ObjectTypes { get; init; } = [];
    public IReadOnlyList<string> To { get; init; } = [];
    public IReadOnlyList<string> Cc { get; init; } = [];
    /// <summary>Addressed to the public collection (any of its three spellings) in to, cc, bto, bcc or audience.</summary>
    public bool IsPublic { get; init; }
    public DateTimeOffset? Published { get; init; }
    /// <summary>The whole activity as received.</summary>
    public JsonElement Json { get; init; }

    public bool ObjectHasType(string type) => ObjectTypes.Contains(AsJson.ShortType(type));

    /// <summary>The embedded object read as an activity (the Follow inside an Accept, Reject or Undo), or null.</summary>
    public IncomingActivity? ObjectAsActivity() =>
        Object is { } o && TryRead(o, out var inner, out _) ? inner : null;

    /// <summary>Reads an activity; false with a one-line reason when it has no type or no actor.</summary>
    public static bool TryRead(JsonElement json, out IncomingActivity? activity, out string? error)
    {
        activity = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "an activity is a JSON object";
            return false;
        }
        var types = AsJson.Types(json);
        if (types.Count == 0)
        {
            error = "the activity has no type";
            return false;
        }
        var actor = AsJson.Id(json, "actor");
        if (actor is null)
        {
            error = "the activity has no actor";
            return false;
        }
        var objectValue = AsJson.Get(json, "object");
        if (objectValue.ValueKind == JsonValueKind.Array)
            objectValue = AsJson.Values(objectValue).FirstOrDefault();
        JsonElement? embedded = objectValue.ValueKind == JsonValueKind.Object ? objectValue.Clone() : null;
        activity = new IncomingActivity
        {
            Id = AsJson.Id(json, "id"),
            Type = types.FirstOrDefault(KnownTypes.Contains) ?? types[0],
            Types = types,
            ActorId = actor,
            ObjectId = AsJson.Id(objectValue),
            Object = embedded,
            ObjectTypes = embedded is { } e ? AsJson.Types(e) : [],
            To = AsJson.Ids(json, "to"),
            Cc = AsJson.Ids(json, "cc"),
            IsPublic = AsJson.IsPublicAddressed(json),
            Published = AsJson.DateTime(json, "published"),
            Json = json.Clone(),
        };
        error = null;
        return true;
    }

    /// <summary>Reads an activity or throws <see cref="FormatException"/> with the reason.</summary>
    public static IncomingActivity Read(JsonElement json) =>
        TryRead(json, out var activity, out var error) ? activity! : throw new FormatException(error);
}
