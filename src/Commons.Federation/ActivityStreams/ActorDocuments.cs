using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;

namespace Commons.Federation.ActivityStreams;

/// <summary>An Ed25519 key published in <c>assertionMethod</c> besides the current one (kept verifiable after a rotation).</summary>
public sealed record PublishedMultikey(string Fragment, string PublicKeyMultibase);

/// <summary>The public halves of an actor's keys: RSA-2048 SPKI PEM for HTTP Signatures, Ed25519 Multikey for object proofs.</summary>
public sealed record ActorKeys(string RsaPublicKeyPem, string Ed25519PublicKeyMultibase)
{
    /// <summary>The RSA key's fragment id; every key generation has its own (a key id is never reused).</summary>
    public string RsaFragment { get; init; } = ActivityUris.MainKeyFragment;
    /// <summary>The current Ed25519 key's fragment id.</summary>
    public string Ed25519Fragment { get; init; } = ActivityUris.Ed25519KeyFragment;
    /// <summary>Older Ed25519 keys still published (after the current one) during a rotation's grace period.</summary>
    public IReadOnlyList<PublishedMultikey> PreviousEd25519Keys { get; init; } = [];
}

/// <summary>Builders of the node actor and of dataset actors.</summary>
public static class ActorDocuments
{
    /// <summary>
    /// The actor of a non-private dataset (type <c>Service</c>). Throws for a private dataset: it does not exist outside.
    /// </summary>
    /// <param name="forRevokedFollower">
    /// A dataset made private still shows its actor (its keys) to a follower it revoked and that has not yet confirmed
    /// the purge, so the follower can verify the Reject; to nobody else.
    /// </param>
    /// <param name="views">The names of the views its kind publishes (<c>{actor}/views/{name}</c>), listed as <c>commons:views</c>.</param>
    public static JsonObject DatasetActor(Dataset dataset, ActivityUris uris, ActorKeys keys, bool forRevokedFollower = false, IReadOnlyList<string>? views = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(uris);
        ArgumentNullException.ThrowIfNull(keys);
        if (dataset.Policy == SharingPolicy.Private && !forRevokedFollower)
            throw new InvalidOperationException($"Dataset '{dataset.Slug}' is private and has no actor.");

        var id = uris.DatasetActor(dataset.Slug);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = id;
        doc["type"] = "Service";
        doc["preferredUsername"] = dataset.Slug;
        doc["name"] = DisplayText(dataset.Title) ?? dataset.Slug;
        if (LanguageMap(dataset.Title, t => t) is { } nameMap) doc["nameMap"] = nameMap;
        if (DisplayText(dataset.Description) is { } description)
        {
            doc["summary"] = Paragraphs(description);
            doc["summaryMap"] = LanguageMap(dataset.Description, Paragraphs);
        }
        doc["url"] = id;
        doc["inbox"] = uris.DatasetInbox(dataset.Slug);
        doc["outbox"] = uris.DatasetOutbox(dataset.Slug);
        doc["followers"] = uris.DatasetFollowers(dataset.Slug);
        doc["following"] = uris.DatasetFollowing(dataset.Slug);
        doc["endpoints"] = new JsonObject { ["sharedInbox"] = uris.SharedInbox };
        doc["manuallyApprovesFollowers"] = dataset.Policy != SharingPolicy.Public;
        doc["discoverable"] = dataset.Policy == SharingPolicy.Public;
        if (dataset.CreatedAt != default) doc["published"] = AsJson.FormatTime(dataset.CreatedAt);
        AddKeys(doc, id, keys);
        doc[ActivityStreamsContext.Policy] = PolicyName(dataset.Policy);
        if (!string.IsNullOrWhiteSpace(dataset.License)) doc[ActivityStreamsContext.License] = dataset.License;
        // The schema without the excluded fields: their names never leave the node either (§5.1).
        doc[ActivityStreamsContext.Schema] = SchemaExclusion.Apply(ParseSchema(dataset.Schema), dataset.ExcludedFields);
        // How the stewards show the records, so a follower shows them the same way; never an excluded field.
        var display = PublishedDisplay.Of(dataset);
        if (display.TitleField is { } titleField) doc[ActivityStreamsContext.TitleField] = titleField;
        if (display.Columns.Count > 0) doc[ActivityStreamsContext.Columns] = new JsonArray([.. display.Columns.Select(c => JsonValue.Create(c))]);
        // A peer learns from it which requests the dataset may answer and how long to wait for an answer.
        if (dataset.Kind != Core.Kinds.DatasetKind.Custom) doc[ActivityStreamsContext.Kind] = dataset.Kind;
        if (views is { Count: > 0 }) doc[ActivityStreamsContext.Views] = new JsonObject(views.Select(v => KeyValuePair.Create(v, (JsonNode?)uris.DatasetView(dataset.Slug, v))));
        return doc;
    }

    /// <summary>The node's own actor (type <c>Organization</c>, preferredUsername <c>_node</c>). It signs what no dataset signs
    /// (fetches on behalf of the node, follows made by members) and lists no datasets.</summary>
    public static JsonObject NodeActor(string nodeName, ActivityUris uris, ActorKeys keys, DateTimeOffset? published = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        ArgumentNullException.ThrowIfNull(uris);
        ArgumentNullException.ThrowIfNull(keys);
        var id = uris.NodeActor;
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = id;
        doc["type"] = "Organization";
        doc["preferredUsername"] = ActivityUris.NodeUsername;
        doc["name"] = nodeName;
        doc["url"] = uris.Base + "/";
        doc["inbox"] = uris.NodeInbox;
        doc["outbox"] = uris.NodeOutbox;
        doc["endpoints"] = new JsonObject { ["sharedInbox"] = uris.SharedInbox };
        doc["manuallyApprovesFollowers"] = true;
        doc["discoverable"] = false;
        if (published is { } p) doc["published"] = AsJson.FormatTime(p);
        AddKeys(doc, id, keys);
        return doc;
    }

    /// <summary>The names the policies have on the wire: <c>peers</c>, <c>approval</c>, <c>public</c> (and <c>private</c>).</summary>
    public static string PolicyName(SharingPolicy policy) => policy switch
    {
        SharingPolicy.Private => "private",
        SharingPolicy.Peers => "peers",
        SharingPolicy.Approval => "approval",
        SharingPolicy.Public => "public",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>The policy a wire name stands for (the inverse of <see cref="PolicyName"/>); null for anything else.</summary>
    public static SharingPolicy? PolicyOf(string? name) => name switch
    {
        "private" => SharingPolicy.Private,
        "peers" => SharingPolicy.Peers,
        "approval" => SharingPolicy.Approval,
        "public" => SharingPolicy.Public,
        _ => null,
    };

    /// <summary>English, else French, else Dutch; null when all are blank.</summary>
    public static string? DisplayText(LocalizedText text) =>
        new[] { text.En, text.Fr, text.Nl }.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));

    private static void AddKeys(JsonObject doc, string actor, ActorKeys keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keys.RsaPublicKeyPem);
        ArgumentException.ThrowIfNullOrWhiteSpace(keys.Ed25519PublicKeyMultibase);
        doc["publicKey"] = new JsonObject
        {
            ["id"] = ActivityUris.KeyId(actor, keys.RsaFragment),
            ["owner"] = actor,
            ["publicKeyPem"] = keys.RsaPublicKeyPem,
        };
        var methods = new JsonArray(Multikey(actor, keys.Ed25519Fragment, keys.Ed25519PublicKeyMultibase));
        foreach (var previous in keys.PreviousEd25519Keys)
            methods.Add(Multikey(actor, previous.Fragment, previous.PublicKeyMultibase));
        doc["assertionMethod"] = methods;
    }

    private static JsonObject Multikey(string actor, string fragment, string multibase) => new()
    {
        ["id"] = ActivityUris.KeyId(actor, fragment),
        ["type"] = "Multikey",
        ["controller"] = actor,
        ["publicKeyMultibase"] = multibase,
    };

    /// <summary>A remote actor's language map (<c>nameMap</c>, <c>summaryMap</c>) in fr, nl and en; null when it has none of them.</summary>
    public static LocalizedText? LanguageMapOf(JsonElement actor, string property)
    {
        if (actor.ValueKind != JsonValueKind.Object || !actor.TryGetProperty(property, out var map) || map.ValueKind != JsonValueKind.Object) return null;
        string? In(string lang) => map.TryGetProperty(lang, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;
        var text = new LocalizedText(In("fr"), In("nl"), In("en"));
        return text is { Fr: null, Nl: null, En: null } ? null : text;
    }

    private static JsonObject? LanguageMap(LocalizedText text, Func<string, string> render)
    {
        var map = new JsonObject();
        foreach (var (lang, value) in new[] { ("fr", text.Fr), ("nl", text.Nl), ("en", text.En) })
            if (!string.IsNullOrWhiteSpace(value)) map[lang] = render(value);
        return map.Count == 0 ? null : map;
    }

    /// <summary>Plain text as HTML: every character encoded, blank lines start paragraphs, single newlines become <c>&lt;br&gt;</c>.</summary>
    internal static string Paragraphs(string text)
    {
        var sb = new StringBuilder();
        var paragraphs = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var paragraph in paragraphs)
            sb.Append("<p>").Append(HtmlText(paragraph)).Append("</p>");
        return sb.ToString();
    }

    /// <summary>HTML-encodes text (&amp; &lt; &gt; " '; other characters, accents included, left as they are) and turns newlines into <c>&lt;br&gt;</c>.</summary>
    internal static string HtmlText(string text) => AppendHtmlText(new StringBuilder(text.Length + 16), text).ToString();

    /// <summary><see cref="HtmlText(string)"/> appended to <paramref name="sb"/>.</summary>
    internal static StringBuilder AppendHtmlText(StringBuilder sb, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n': break;
                case '\r' or '\n': sb.Append("<br>"); break;
                case '\0': sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }
        return sb;
    }

    private static JsonNode ParseSchema(string schema)
    {
        try
        {
            return JsonNode.Parse(schema) ?? new JsonObject();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("The dataset's schema is not valid JSON.", e);
        }
    }
}
