using System.Globalization;
using System.Xml.Linq;
using Commons.Modules.Map.Directory;

namespace Commons.Modules.Map.Tiles;

/// <summary>The words a tile map writes, in the reader's language.</summary>
public sealed record TileMapWords(string Title, string ThisNode, string Attribution);

/// <summary>
/// The map over an administrator's tile server, drawn here as SVG to sit inline in a page (no script): the
/// Web-Mercator tiles covering the Brussels-Capital Region at one zoom as <c>&lt;image&gt;</c> elements, the
/// organisations we know on top (at their geolocation, else their commune's centre), and the server's attribution.
/// The browser fetches the tiles, from the tile server's origin only; the page's CSP admits that origin while the
/// setting exists (<see cref="TileSettings"/>).
/// </summary>
public static class TileMapDrawing
{
    public const int Zoom = 12;
    /// <summary>The Brussels-Capital Region's bounding box (degrees): 3 × 4 tiles at <see cref="Zoom"/>.</summary>
    public const double South = 50.763, West = 4.243, North = 50.914, East = 4.482;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The drawing; <paramref name="id"/> prefixes its element ids, unique in the page.</summary>
    public static XElement Draw(TileServer server, IEnumerable<NodeEntry> nodes, TileMapWords words, string id = "tile-map")
    {
        var (left, top) = WebMercator.Pixel(North, West, Zoom);
        var (right, bottom) = WebMercator.Pixel(South, East, Zoom);
        var (width, height) = (right - left, bottom - top);
        var root = new XElement(Svg + "svg", new XAttribute("version", "1.1"), new XAttribute("id", id),
            new XAttribute("viewBox", $"0 0 {F(width)} {F(height)}"), A("width", width), A("height", height),
            new XAttribute("role", "img"), new XAttribute("aria-labelledby", id + "-title"), new XAttribute("font-family", "sans-serif"),
            new XElement(Svg + "title", new XAttribute("id", id + "-title"), new XText(words.Title)),
            new XElement(Svg + "rect", A("x", 0), A("y", 0), A("width", width), A("height", height), new XAttribute("fill", "#e5e7eb")));
        var tiles = new XElement(Svg + "g", new XAttribute("class", "tiles"));
        foreach (var (x, y) in WebMercator.Covering(South, West, North, East, Zoom))
            tiles.Add(new XElement(Svg + "image", new XAttribute("href", server.Url(Zoom, x, y)),
                A("x", x * WebMercator.TileSize - left), A("y", y * WebMercator.TileSize - top),
                A("width", WebMercator.TileSize), A("height", WebMercator.TileSize),
                new XAttribute("data-tile", $"{Zoom}/{x}/{y}")));
        root.Add(tiles);
        foreach (var node in nodes)
        {
            if (node.Point is not { } point) continue;
            var (px, py) = WebMercator.Pixel((double)point.Latitude, (double)point.Longitude, Zoom);
            var (cx, cy) = (px - left, py - top);
            var name = Short(node.Profile?.Name ?? (node.IsUs ? words.ThisNode : node.Host));
            root.Add(new XElement(Svg + "g", new XAttribute("class", node.IsUs ? "organisation us" : "organisation"),
                new XElement(Svg + "circle", A("cx", cx), A("cy", cy), A("r", node.IsUs ? 8 : 6),
                    new XAttribute("fill", node.IsUs ? "#1e40af" : "#2563eb"), new XAttribute("stroke", "#ffffff"), A("stroke-width", 2)),
                new XElement(Svg + "text", A("x", cx + 10), A("y", cy + 4), new XAttribute("font-size", 13), new XAttribute("font-weight", "bold"),
                    new XAttribute("fill", "#111827"), new XAttribute("stroke", "#ffffff"), A("stroke-width", 3), new XAttribute("paint-order", "stroke"),
                    new XText(name))));
        }
        root.Add(new XElement(Svg + "g", new XAttribute("class", "attribution"),
            new XElement(Svg + "rect", A("x", 0), A("y", height - 20), A("width", width), A("height", 20), new XAttribute("fill", "#ffffff"), new XAttribute("fill-opacity", "0.85")),
            new XElement(Svg + "text", A("x", width - 6), A("y", height - 6), new XAttribute("font-size", 11), new XAttribute("text-anchor", "end"),
                new XAttribute("fill", "#111827"), new XText(words.Attribution))));
        return root;
    }

    private static string Short(string name) => name.Length <= 28 ? name : name[..27].TrimEnd() + "…";
    private static XAttribute A(string name, double value) => new(name, F(value));
    private static string F(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
