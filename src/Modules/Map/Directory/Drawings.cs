using System.Globalization;
using System.Xml.Linq;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Directory;

/// <summary>The words a drawing writes, in the reader's language.</summary>
public sealed record DrawingWords(string Title, string Organisations, string Offers, string Needs, string ThisNode, Func<Commune, string> NameOf)
{
    /// <summary>A tie's words ("partner of"), by its predicate; the predicate itself when not given.</summary>
    public Func<string, string> TieWord { get; init; } = predicate => predicate;
}

/// <summary>
/// The map's drawings as SVG, made here from what the node holds, nothing fetched from elsewhere. Presentation is in
/// attributes only (no style element or attribute, no script), so the node's strict CSP holds; every text from data is
/// an XText, which XML escapes.
/// </summary>
public static class Drawings
{
    public const string MediaType = "image/svg+xml";
    /// <summary>For a drawing opened on its own: it loads nothing and runs nothing.</summary>
    public const string Csp = "default-src 'none'; frame-ancestors 'self'";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double CellKm = 1.9;
    private const int CellWidth = 150, CellHeight = 92, Gap = 8, Margin = 12;

    /// <summary>
    /// A tile map of the 19 communes: each a card on a grid, placed at the free cell nearest its centre (no boundary
    /// data, none needed), with the organisations we know there and the open offers and needs.
    /// </summary>
    public static XDocument Communes(IReadOnlyList<CommuneCount> counts, DrawingWords words)
    {
        var cells = Place(counts.Select(c => c.Commune).ToList());
        var cols = cells.Values.Max(c => c.Col) + 1;
        var rows = cells.Values.Max(c => c.Row) + 1;
        var width = Margin * 2 + cols * (CellWidth + Gap) - Gap;
        var height = Margin * 2 + rows * (CellHeight + Gap) - Gap;
        var root = Root(width, height, words.Title);
        foreach (var count in counts)
        {
            var (col, row) = cells[count.Commune.Code];
            var x = Margin + col * (CellWidth + Gap);
            var y = Margin + row * (CellHeight + Gap);
            var any = count.Organisations + count.OpenOffers + count.OpenNeeds > 0;
            var g = new XElement(Svg + "g", new XAttribute("id", "commune-" + count.Commune.Code));
            g.Add(new XElement(Svg + "rect", A("x", x), A("y", y), A("width", CellWidth), A("height", CellHeight), A("rx", 6),
                new XAttribute("fill", any ? "#dbeafe" : "#f3f4f6"), new XAttribute("stroke", any ? "#1e40af" : "#6b7280"), A("stroke-width", 1)));
            var lines = NameLines(words.NameOf(count.Commune)).Select(l => (l, true))
                .Concat([($"{words.Organisations} {N(count.Organisations)}", false), ($"{words.Offers} {N(count.OpenOffers)}", false), ($"{words.Needs} {N(count.OpenNeeds)}", false)]);
            var ty = y + 18;
            foreach (var (line, bold) in lines)
            {
                g.Add(new XElement(Svg + "text", A("x", x + 8), A("y", ty), new XAttribute("font-size", 12),
                    bold ? new XAttribute("font-weight", "bold") : null, new XAttribute("fill", "#111827"), new XText(line)));
                ty += 15;
            }
            root.Add(g);
        }
        return new XDocument(root);
    }

    /// <summary>
    /// Who shares with whom: this node in the middle, the nodes it knows around it, an arrow from each follower to the
    /// node it follows (the number of datasets beside it when more than one), and a dashed line for each tie a profile
    /// names (member of, partner of, shares staff with), its words beside it.
    /// </summary>
    public static XDocument Graph(Network network, DrawingWords words, int most = 48)
    {
        var others = network.Nodes.Where(n => !n.IsUs).Take(most).ToList();
        var radius = Math.Max(150, others.Count * 14);
        const int label = 170;
        var size = 2 * (radius + label);
        var centre = size / 2.0;
        var at = new Dictionary<string, (double X, double Y)> { [""] = (centre, centre) };
        for (var i = 0; i < others.Count; i++)
        {
            var angle = 2 * Math.PI * i / Math.Max(1, others.Count) - Math.PI / 2;
            at[others[i].Host] = (centre + radius * Math.Cos(angle), centre + radius * Math.Sin(angle));
        }
        var root = Root(size, size, words.Title);
        root.Add(new XElement(Svg + "defs", new XElement(Svg + "marker", new XAttribute("id", "arrow"), new XAttribute("viewBox", "0 0 10 10"),
            A("refX", 22), A("refY", 5), A("markerWidth", 8), A("markerHeight", 8), new XAttribute("orient", "auto"),
            new XElement(Svg + "path", new XAttribute("d", "M0,0 L10,5 L0,10 z"), new XAttribute("fill", "#374151")))));
        foreach (var f in network.Follows)
        {
            if (!at.TryGetValue(f.Follower, out var a) || !at.TryGetValue(f.Followed, out var b)) continue;
            // Both ways between the same two nodes: each line a little aside, so both arrows show.
            var (dx, dy) = (b.X - a.X, b.Y - a.Y);
            var length = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
            var (ox, oy) = (-dy / length * 4, dx / length * 4);
            var edge = new XElement(Svg + "g", new XAttribute("class", "follow"),
                new XElement(Svg + "line", A("x1", a.X + ox), A("y1", a.Y + oy), A("x2", b.X + ox), A("y2", b.Y + oy),
                    new XAttribute("stroke", "#374151"), A("stroke-width", 1.5), new XAttribute("marker-end", "url(#arrow)")));
            if (f.Datasets > 1)
                edge.Add(new XElement(Svg + "text", A("x", (a.X + b.X) / 2 + ox * 2), A("y", (a.Y + b.Y) / 2 + oy * 2), new XAttribute("font-size", 11),
                    new XAttribute("fill", "#111827"), new XText(N(f.Datasets))));
            root.Add(edge);
        }
        foreach (var tie in network.Ties)
        {
            if (!at.TryGetValue(tie.From, out var a) || !at.TryGetValue(tie.To, out var b)) continue;
            root.Add(new XElement(Svg + "g", new XAttribute("class", "tie " + tie.Predicate.Replace('_', '-')),
                new XElement(Svg + "line", A("x1", a.X), A("y1", a.Y), A("x2", b.X), A("y2", b.Y),
                    new XAttribute("stroke", "#047857"), A("stroke-width", 1.5), new XAttribute("stroke-dasharray", "6 4")),
                new XElement(Svg + "text", A("x", (a.X + b.X) / 2), A("y", (a.Y + b.Y) / 2 - 6), new XAttribute("font-size", 11),
                    new XAttribute("text-anchor", "middle"), new XAttribute("fill", "#065f46"), new XText(words.TieWord(tie.Predicate)))));
        }
        foreach (var node in network.Nodes.Where(n => at.ContainsKey(n.Host)))
        {
            var (x, y) = at[node.Host];
            var name = Short(node.Profile?.Name ?? (node.IsUs ? words.ThisNode : node.Host));
            var right = x >= centre;
            var g = new XElement(Svg + "g", new XAttribute("class", "node"),
                new XElement(Svg + "circle", A("cx", x), A("cy", y), A("r", node.IsUs ? 14 : 10),
                    new XAttribute("fill", node.IsUs ? "#1e40af" : node.Profile is null ? "#9ca3af" : "#2563eb"), new XAttribute("stroke", "#111827")),
                new XElement(Svg + "text", A("x", node.IsUs ? x : x + (right ? 16 : -16)), A("y", node.IsUs ? y + 32 : y + 4), new XAttribute("font-size", 12),
                    new XAttribute("text-anchor", node.IsUs ? "middle" : right ? "start" : "end"), new XAttribute("fill", "#111827"), new XText(name)));
            root.Add(g);
        }
        return new XDocument(root);
    }

    private static XElement Root(double width, double height, string title) => new(Svg + "svg",
        new XAttribute("version", "1.1"), new XAttribute("viewBox", $"0 0 {F(width)} {F(height)}"), A("width", width), A("height", height),
        new XAttribute("role", "img"), new XAttribute("aria-labelledby", "title"), new XAttribute("font-family", "sans-serif"),
        new XElement(Svg + "title", new XAttribute("id", "title"), new XText(title)),
        new XElement(Svg + "rect", A("x", 0), A("y", 0), A("width", width), A("height", height), new XAttribute("fill", "#ffffff")));

    /// <summary>Grid cells for the communes: each, in code order, takes the free cell nearest its centre.</summary>
    internal static Dictionary<string, (int Col, int Row)> Place(IReadOnlyList<Commune> communes)
    {
        var taken = new HashSet<(int, int)>();
        var cells = new Dictionary<string, (int Col, int Row)>();
        var west = communes.Min(c => c.Longitude);
        var north = communes.Max(c => c.Latitude);
        var kmPerLon = 111.32 * Math.Cos(50.85 * Math.PI / 180);
        foreach (var c in communes.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            var x = (double)(c.Longitude - west) * kmPerLon / CellKm;
            var y = (double)(north - c.Latitude) * 111.32 / CellKm;
            var best = Enumerable.Range(-4, 9).SelectMany(dc => Enumerable.Range(-4, 9).Select(dr => ((int)Math.Round(x) + dc, (int)Math.Round(y) + dr)))
                .Where(cell => cell.Item1 >= 0 && cell.Item2 >= 0 && !taken.Contains(cell))
                .OrderBy(cell => Math.Pow(cell.Item1 - x, 2) + Math.Pow(cell.Item2 - y, 2)).ThenBy(cell => cell.Item2).ThenBy(cell => cell.Item1).First();
            taken.Add(best);
            cells[c.Code] = best;
        }
        var minCol = cells.Values.Min(c => c.Col);
        var minRow = cells.Values.Min(c => c.Row);
        return cells.ToDictionary(c => c.Key, c => (c.Value.Col - minCol, c.Value.Row - minRow));
    }

    /// <summary>A long name on two lines, cut at the hyphen nearest its middle.</summary>
    private static IEnumerable<string> NameLines(string name)
    {
        if (name.Length <= 18) return [name];
        var cuts = Enumerable.Range(1, name.Length - 2).Where(i => name[i] == '-').ToList();
        if (cuts.Count == 0) return [name];
        var cut = cuts.OrderBy(i => Math.Abs(i - name.Length / 2)).First();
        return [name[..(cut + 1)], name[(cut + 1)..]];
    }

    private static string Short(string name) => name.Length <= 28 ? name : name[..27].TrimEnd() + "…";
    private static XAttribute A(string name, double value) => new(name, F(value));
    private static string F(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
    private static string N(int value) => value.ToString(CultureInfo.CurrentCulture);
}
