using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Directory;

/// <summary>
/// The directory as files other tools read: GeoJSON (RFC 7946: a FeatureCollection of points, longitude first, in
/// decimal degrees; a node whose place is unknown has a null geometry) and CSV (RFC 4180: a header, CRLF, fields with a
/// comma, quote or line break quoted, quotes doubled). This node is written with the address "" and is_this_node true.
/// </summary>
public static class DirectoryExports
{
    public const string GeoJsonType = "application/geo+json";
    public const string CsvType = "text/csv";

    private static readonly string[] Columns =
        ["address", "is_this_node", "name", "commune", "commune_fr", "commune_nl", "sectors", "languages", "website", "latitude", "longitude", "we_follow", "follows_us", "open_offers", "open_needs"];

    public static JsonObject GeoJson(IEnumerable<NodeEntry> nodes) => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray(nodes.Select(Feature).ToArray()),
    };

    private static JsonNode Feature(NodeEntry e)
    {
        var p = e.Profile;
        var properties = new JsonObject
        {
            ["address"] = e.Host, ["is_this_node"] = e.IsUs, ["name"] = p?.Name,
            ["commune"] = p?.Commune, ["commune_fr"] = Communes.Find(p?.Commune)?.Fr, ["commune_nl"] = Communes.Find(p?.Commune)?.Nl,
            ["sectors"] = new JsonArray((p?.Sectors ?? []).Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["languages"] = new JsonArray((p?.Languages ?? []).Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["website"] = p?.Website, ["we_follow"] = e.WeFollow, ["follows_us"] = e.FollowsUs,
            ["open_offers"] = e.OpenOffers, ["open_needs"] = e.OpenNeeds,
            ["located_by"] = e.Point is { } pt ? (pt.Exact ? "geolocation" : "commune") : null,
        };
        JsonNode? geometry = e.Point is { } point
            ? new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(JsonValue.Create(point.Longitude), JsonValue.Create(point.Latitude)) }
            : null;
        return new JsonObject { ["type"] = "Feature", ["id"] = e.IsUs ? "this-node" : e.Host, ["geometry"] = geometry, ["properties"] = properties };
    }

    public static string Csv(IEnumerable<NodeEntry> nodes)
    {
        var b = new StringBuilder();
        Line(b, Columns);
        foreach (var e in nodes)
        {
            var p = e.Profile;
            var point = e.Point;
            Line(b,
            [
                e.Host, e.IsUs ? "true" : "false", p?.Name ?? "", p?.Commune ?? "", Communes.Find(p?.Commune)?.Fr ?? "", Communes.Find(p?.Commune)?.Nl ?? "",
                string.Join("; ", p?.Sectors ?? []), string.Join("; ", p?.Languages ?? []), p?.Website ?? "",
                point is { } a ? Organisation.Invariant(a.Latitude) : "", point is { } o ? Organisation.Invariant(o.Longitude) : "",
                Number(e.WeFollow), Number(e.FollowsUs), Number(e.OpenOffers), Number(e.OpenNeeds),
            ]);
        }
        return b.ToString();
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder b, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) b.Append(',');
            b.Append(Field(fields[i]));
        }
        b.Append("\r\n");
    }

    /// <summary>A field as RFC 4180 writes it; one a spreadsheet would run as a formula (=, +, -, @) starts with an apostrophe (OWASP CSV injection).</summary>
    internal static string Field(string value) => Platform.Csv.CsvField.Write(value);
}
