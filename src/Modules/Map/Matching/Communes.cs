using System.Globalization;

namespace Commons.Modules.Map.Matching;

/// <summary>One of the 19 communes of the Brussels-Capital Region: its stable code (NIS), official names and approximate centre.</summary>
public sealed record Commune(string Code, string Fr, string Nl, decimal Latitude, decimal Longitude);

/// <summary>The 19 communes (Data/communes.json): the enum the schemas allow, the names people read, the distance between them.</summary>
public static class Communes
{
    public static IReadOnlyList<Commune> All { get; } = MapData.Read("communes").GetProperty("communes").EnumerateArray()
        .Select(c => new Commune(c.GetProperty("code").GetString()!, c.GetProperty("fr").GetString()!, c.GetProperty("nl").GetString()!,
            decimal.Parse(c.GetProperty("lat").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(c.GetProperty("lon").GetString()!, CultureInfo.InvariantCulture)))
        .ToList();

    private static readonly Dictionary<string, Commune> ByCode = All.ToDictionary(c => c.Code);

    public static Commune? Find(string? code) => code is null ? null : ByCode.GetValueOrDefault(code);

    /// <summary>The commune's name in <paramref name="language"/> (French for English: Brussels' streets are signed in both).</summary>
    public static string NameOf(string code, string language) => Find(code) is { } c ? (language == "nl" ? c.Nl : c.Fr) : code;

    /// <summary>Kilometres between two communes' centres (equirectangular; exact enough inside a city); null if either is unknown.</summary>
    public static double? DistanceKm(string? a, string? b)
    {
        if (Find(a) is not { } x || Find(b) is not { } y) return null;
        var lat = (double)(x.Latitude + y.Latitude) / 2 * Math.PI / 180;
        var dx = (double)(y.Longitude - x.Longitude) * Math.PI / 180 * Math.Cos(lat);
        var dy = (double)(y.Latitude - x.Latitude) * Math.PI / 180;
        return Math.Sqrt(dx * dx + dy * dy) * 6371.0;
    }
}
