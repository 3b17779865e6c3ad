using System.Text.Json;

namespace Commons.Federation.ActivityStreams;

/// <summary>An RSA (or other) key from an actor's <c>publicKey</c>.</summary>
public sealed record RemotePublicKey(string Id, string? Owner, string PublicKeyPem);

/// <summary>A Multikey from an actor's <c>assertionMethod</c> (FEP-521a).</summary>
public sealed record RemoteMultikey(string Id, string? Controller, string PublicKeyMultibase);

/// <summary>
/// A remote actor as fetched (Mastodon, GoToSocial, another Commons node…), read tolerantly: <c>publicKey</c> may be one
/// object or an array, <c>endpoints</c> may be absent, <c>manuallyApprovesFollowers</c> defaults to false.
/// </summary>
public sealed record RemoteActorDocument
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public IReadOnlyList<string> Types { get; init; } = [];
    public string? PreferredUsername { get; init; }
    public string? Name { get; init; }
    public required string Inbox { get; init; }
    public string? SharedInbox { get; init; }
    public string? Outbox { get; init; }
    public string? Followers { get; init; }
    public string? Following { get; init; }
    public string? Url { get; init; }
    public bool ManuallyApprovesFollowers { get; init; }
    public IReadOnlyList<RemotePublicKey> PublicKeys { get; init; } = [];
    public IReadOnlyList<RemoteMultikey> AssertionMethods { get; init; } = [];
    public JsonElement Json { get; init; }

    /// <summary>Where to deliver: the shared inbox when there is one, else the actor's inbox.</summary>
    public string DeliveryInbox => SharedInbox ?? Inbox;

    /// <summary>The <c>publicKey</c> with this id, if the actor publishes it.</summary>
    public RemotePublicKey? FindPublicKey(string keyId) => PublicKeys.FirstOrDefault(k => k.Id == keyId);

    /// <summary>The Multikey with this id in <c>assertionMethod</c>, if any.</summary>
    public RemoteMultikey? FindAssertionMethod(string keyId) => AssertionMethods.FirstOrDefault(k => k.Id == keyId);

    /// <summary>Types an actor may have (ActivityStreams actor types).</summary>
    public static readonly IReadOnlySet<string> ActorTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Person", "Service", "Group", "Organization", "Application",
    };

    /// <summary>Reads an actor; false with a one-line reason when it has no id, no actor type or no inbox.</summary>
    public static bool TryRead(JsonElement json, out RemoteActorDocument? actor, out string? error)
    {
        actor = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "an actor is a JSON object";
            return false;
        }
        var id = AsJson.Id(json, "id");
        if (id is null || !Uri.TryCreate(id, UriKind.Absolute, out var idUri) || idUri.Scheme is not ("https" or "http"))
        {
            error = "the actor has no absolute http(s) id";
            return false;
        }
        var types = AsJson.Types(json);
        var type = types.FirstOrDefault(ActorTypes.Contains);
        if (type is null)
        {
            error = types.Count == 0 ? "the actor has no type" : $"'{types[0]}' is not an actor type";
            return false;
        }
        var inbox = AsJson.Id(json, "inbox");
        if (inbox is null)
        {
            error = "the actor has no inbox";
            return false;
        }

        var keys = ReadPublicKeys(json);

        var multikeys = new List<RemoteMultikey>();
        foreach (var method in AsJson.Values(json, "assertionMethod"))
        {
            if (method.ValueKind != JsonValueKind.Object || !AsJson.HasType(method, "Multikey")) continue;
            if (AsJson.Id(method) is { } keyId && AsJson.String(method, "publicKeyMultibase") is { Length: > 0 } multibase)
                multikeys.Add(new RemoteMultikey(keyId, AsJson.Id(method, "controller"), multibase));
        }

        var endpoints = AsJson.Get(json, "endpoints");
        actor = new RemoteActorDocument
        {
            Id = id,
            Type = type,
            Types = types,
            PreferredUsername = AsJson.String(json, "preferredUsername"),
            Name = AsJson.String(json, "name"),
            Inbox = inbox,
            SharedInbox = endpoints.ValueKind == JsonValueKind.Object ? AsJson.Id(endpoints, "sharedInbox") : null,
            Outbox = AsJson.Id(json, "outbox"),
            Followers = AsJson.Id(json, "followers"),
            Following = AsJson.Id(json, "following"),
            Url = AsJson.Id(json, "url"),
            ManuallyApprovesFollowers = AsJson.Boolean(json, "manuallyApprovesFollowers") ?? false,
            PublicKeys = keys,
            AssertionMethods = multikeys,
            Json = json.Clone(),
        };
        error = null;
        return true;
    }

    /// <summary>The <c>publicKey</c> entries (one object or an array) of an actor or of a key document.</summary>
    public static List<RemotePublicKey> ReadPublicKeys(JsonElement json)
    {
        var keys = new List<RemotePublicKey>();
        foreach (var key in AsJson.Values(json, "publicKey"))
        {
            if (key.ValueKind != JsonValueKind.Object) continue; // a bare key id tells us nothing we can verify with
            if (AsJson.Id(key) is { } keyId && AsJson.String(key, "publicKeyPem") is { Length: > 0 } pem)
                keys.Add(new RemotePublicKey(keyId, AsJson.Id(key, "owner") ?? AsJson.Id(key, "controller"), pem));
        }
        return keys;
    }

    public static RemoteActorDocument Read(JsonElement json) =>
        TryRead(json, out var actor, out var error) ? actor! : throw new FormatException(error);
}
