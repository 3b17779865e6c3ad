using System.CommandLine;
using System.Globalization;
using Commons.Platform;

namespace Commons.Modules.Map.Tiles;

/// <summary>
/// <c>commons-node map tiles [show] | set URL --attribution TEXT | clear</c>: the tile server the map is drawn over,
/// one line each; a refused address is the usual one line ending <c>[invalid_tile_server]</c>.
/// </summary>
public static class TilesCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var tiles = new Command("tiles", "The tile server the map is drawn over (none by default: the schematic map only).");

        var show = new Command("show", "Print the tile server, or that there is none.");
        show.SetAction(_ => Show(context()));
        tiles.Add(show);
        tiles.SetAction(_ => Show(context()));

        var url = new Argument<string>("url") { Description = "Address template, https with {z}, {x} and {y}: https://tile.example/{z}/{x}/{y}.png" };
        var attribution = new Option<string>("--attribution") { Description = "The attribution the tiles' licence asks to show under the map.", Required = true };
        var set = new Command("set", "Draw the map over this tile server; pages then admit its origin for images.") { url, attribution };
        set.SetAction(parse =>
        {
            var c = context();
            var server = c.Get<TileSettings>().Set(c.Operator, parse.GetValue(url), parse.GetValue(attribution));
            c.Out.WriteLine($"tile server set: {server.UrlTemplate} (images from {server.Origin}) — {server.Attribution}");
            return 0;
        });
        tiles.Add(set);

        var clear = new Command("clear", "No tile server any more: the schematic map only.");
        clear.SetAction(_ =>
        {
            var c = context();
            c.Out.WriteLine(c.Get<TileSettings>().Clear(c.Operator) ? "tile server removed" : "no tile server was set");
            return 0;
        });
        tiles.Add(clear);
        return tiles;
    }

    private static int Show(ModuleCommandContext c)
    {
        c.Out.WriteLine(c.Get<TileSettings>().Get(c.Operator) is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"tile server: {s.UrlTemplate} (images from {s.Origin}) — {s.Attribution}; set by {s.SetBy} at {s.SetAt:O}")
            : "no tile server: the map is the schematic one");
        return 0;
    }
}
