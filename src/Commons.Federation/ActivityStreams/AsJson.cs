using System.Globalization;
using System.Text.Json;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// Tolerant readers for incoming ActivityStreams JSON. Servers differ: a property may hold a single value
/// or an array, a link may be a bare URI or an object with an <c>id</c>, a type may be a string or an array,
/// and the public collection is written three ways. These helpers never throw on a surprising shape;
/// they return null or an empty list.
/// </summary>
public static class AsJson
{
    private const string AsPrefix = "https://www.w3.org/ns/activitystreams#";

    /// <summary>The property <paramref name="name"/> of an object, or default when absent, null, or not an object.</summary>
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : default;

    /// <summary>The values of a property: none when absent or null, one for a single value, each item of an array.</summary>
    public static IReadOnlyList<JsonElement> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => [],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).ToList(),
        _ => [value],
    };

    public static IReadOnlyList<JsonElement> Values(JsonElement obj, string name) => Values(Get(obj, name));

    /// <summary>The id of a value that is a URI string, an object with <c>id</c> (or <c>@id</c>), a Link with
    /// <c>href</c>, or an array of those (the first that has one).</summary>
    public static string? Id(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return NonEmpty(value.GetString());
            case JsonValueKind.Object:
                foreach (var key in (ReadOnlySpan<string>)["id", "@id"])
                    if (value.TryGetProperty(key, out var id) && id.ValueKind == JsonValueKind.String && NonEmpty(id.GetString()) is { } s) return s;
                if (HasType(value, "Link") && value.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String) return NonEmpty(href.GetString());
                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                    if (Id(item) is { } first) return first;
                return null;
            default:
                return null;
        }
    }

    public static string? Id(JsonElement obj, string name) => Id(Get(obj, name));

    /// <summary>All ids of a property (single or array, strings or objects), in order, without duplicates.</summary>
    public static IReadOnlyList<string> Ids(JsonElement value)
    {
        var list = new List<string>();
        foreach (var item in Values(value))
            if (Id(item) is { } id && !list.Contains(id)) list.Add(id);
        return list;
    }

    public static IReadOnlyList<string> Ids(JsonElement obj, string name) => Ids(Get(obj, name));

    /// <summary>A string property; for an array, its first string; for a JSON-LD value object, its <c>@value</c>.</summary>
    public static string? String(JsonElement obj, string name)
    {
        foreach (var v in Values(obj, name))
        {
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("@value", out var inner) && inner.ValueKind == JsonValueKind.String) return inner.GetString();
        }
        return null;
    }

    /// <summary>A boolean property; also accepts the strings "true"/"false". Null when absent or unreadable.</summary>
    public static bool? Boolean(JsonElement obj, string name)
    {
        foreach (var v in Values(obj, name))
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String when bool.TryParse(v.GetString(), out var b): return b;
            }
        }
        return null;
    }

    /// <summary>An integer property (a JSON number, or a string of digits).</summary>
    public static long? Integer(JsonElement obj, string name)
    {
        foreach (var v in Values(obj, name))
        {
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
            if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        }
        return null;
    }

    /// <summary>An xsd:dateTime property, or null when absent or unreadable.</summary>
    public static DateTimeOffset? DateTime(JsonElement obj, string name) =>
        String(obj, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The types of an object (string or array), with <c>as:</c> and full ActivityStreams IRIs shortened.</summary>
    public static IReadOnlyList<string> Types(JsonElement obj)
    {
        var list = new List<string>();
        foreach (var key in (ReadOnlySpan<string>)["type", "@type"])
            foreach (var v in Values(obj, key))
                if (v.ValueKind == JsonValueKind.String && NonEmpty(v.GetString()) is { } t && ShortType(t) is var s && !list.Contains(s)) list.Add(s);
        return list;
    }

    public static bool HasType(JsonElement obj, string type) => Types(obj).Contains(ShortType(type));

    /// <summary><c>as:Follow</c> and <c>https://www.w3.org/ns/activitystreams#Follow</c> both become <c>Follow</c>.</summary>
    public static string ShortType(string type) =>
        type.StartsWith(AsPrefix, StringComparison.Ordinal) ? type[AsPrefix.Length..]
        : type.StartsWith("as:", StringComparison.Ordinal) ? type[3..]
        : type;

    /// <summary>Whether an addressee names the public collection: the full IRI, <c>as:Public</c> or <c>Public</c>.</summary>
    public static bool IsPublic(string? addressee) =>
        addressee is ActivityStreamsContext.PublicCollection or "as:Public" or "Public";

    /// <summary>Whether an object or activity is addressed to the public in <c>to</c>, <c>cc</c>, <c>bto</c>, <c>bcc</c> or <c>audience</c>.</summary>
    public static bool IsPublicAddressed(JsonElement obj) =>
        new[] { "to", "cc", "bto", "bcc", "audience" }.Any(p => Ids(obj, p).Any(IsPublic));

    /// <summary>Scheme, host and port of two absolute URIs are equal (same origin).</summary>
    public static bool SameOrigin(string? a, string? b) =>
        a is not null && b is not null
        && Uri.TryCreate(a, UriKind.Absolute, out var ua) && Uri.TryCreate(b, UriKind.Absolute, out var ub)
        && ua.Scheme == ub.Scheme && string.Equals(ua.IdnHost, ub.IdnHost, StringComparison.OrdinalIgnoreCase) && ua.Port == ub.Port;

    /// <summary>The URI without its fragment (an actor from a key id such as <c>…/users/alice#main-key</c>).</summary>
    public static string WithoutFragment(string uri)
    {
        var hash = uri.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? uri : uri[..hash];
    }

    /// <summary>How we write xsd:dateTime: UTC, seconds precision, <c>Z</c> (as Mastodon does).</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
