using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Map.Directory;

/// <summary>A tie a profile names: <c>member_of</c>, <c>partner_of</c> or <c>shares_staff_with</c> the node or site at <paramref name="Url"/>.</summary>
public sealed record Relationship(string Predicate, string Url)
{
    public static readonly IReadOnlyList<string> Predicates = ["member_of", "partner_of", "shares_staff_with"];
}

/// <summary>
/// An organisation's public profile as the directory reads it from a map.profile record (ours, or a replica of a
/// peer's): only the fields the directory shows, searches and exports. Contact fields are never read.
/// </summary>
public sealed record Organisation
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Nicknames { get; init; } = [];
    /// <summary>The description per language (fr, nl, en), as written.</summary>
    public IReadOnlyDictionary<string, string> Description { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Sectors { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    public string? Commune { get; init; }
    public decimal? Latitude { get; init; }
    public decimal? Longitude { get; init; }
    public string? Website { get; init; }
    public string? LegalForm { get; init; }
    /// <summary>The nodes or sites it names as member of, partner of, sharing staff with (each the other's URL).</summary>
    public IReadOnlyList<Relationship> Relationships { get; init; } = [];

    /// <summary>The description in <paramref name="language"/>, else in another of the three.</summary>
    public string? DescriptionIn(string language) =>
        new[] { language, "fr", "nl", "en" }.Select(l => Description.GetValueOrDefault(l)).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

    /// <summary>Reads a profile record; null when it has no name (not a profile).</summary>
    public static Organisation? Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || Text(data, "name") is not { Length: > 0 } name) return null;
        decimal? lat = null, lon = null;
        if (data.TryGetProperty("geolocation", out var g) && g.ValueKind == JsonValueKind.Object
            && g.TryGetProperty("lat", out var la) && la.ValueKind == JsonValueKind.Number && la.TryGetDecimal(out var latitude) && latitude is >= -90 and <= 90
            && g.TryGetProperty("lon", out var lo) && lo.ValueKind == JsonValueKind.Number && lo.TryGetDecimal(out var longitude) && longitude is >= -180 and <= 180)
            (lat, lon) = (latitude, longitude);
        var description = new Dictionary<string, string>();
        if (data.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.Object)
            foreach (var p in d.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) description[p.Name] = p.Value.GetString()!;
        var relationships = new List<Relationship>();
        if (data.TryGetProperty("relationships", out var r) && r.ValueKind == JsonValueKind.Array)
            foreach (var item in r.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object && Text(item, "object_url") is { } url && Text(item, "predicate") is { } predicate
                    && Relationship.Predicates.Contains(predicate) && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
                    relationships.Add(new Relationship(predicate, url));
        return new Organisation
        {
            Name = name.Trim(), Nicknames = Texts(data, "nickname"), Description = description, Sectors = Texts(data, "sectors"),
            Languages = Texts(data, "languages"), Commune = Text(data, "commune"), Latitude = lat, Longitude = lon,
            Website = Text(data, "primary_url") is { } w && w.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? w : null,
            LegalForm = Text(data, "legal_form"), Relationships = relationships,
        };
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Texts(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).ToList()
            : [];

    internal static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
