using System.CommandLine;
using System.Globalization;
using Commons.Modules.Map.Services;
using Commons.Platform;

namespace Commons.Modules.Map.Cli;

/// <summary><c>commons-node map matches [--listing ID]</c>: one line per match (ours, kind, score, km, theirs, whose, title), for the operator.</summary>
public static class MapCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var map = new Command("map", "Look at the map of the network: what fits our offers and needs.");
        var listing = new Option<string>("--listing") { Description = "Only the matches of this listing of ours (its id)." };
        var matches = new Command("matches", "List what fits each of our open needs and offers: one line per match, best first.") { listing };
        matches.SetAction(parse =>
        {
            var c = context();
            foreach (var m in c.Get<MapService>().Matches(c.Operator, parse.GetValue(listing)))
            {
                var km = m.Match.DistanceKm is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "-";
                c.Out.WriteLine($"{m.Ours.Id,-24} {m.Ours.Kind,-5} {m.Match.Score.ToString("0.00", CultureInfo.InvariantCulture),5} {km,5} {m.Match.Listing.Id,-24} {m.Match.Listing.Organisation,-28} {m.Match.Listing.Title}");
            }
            return 0;
        });
        map.Add(matches);
        map.Add(Directory.Crawl.CrawlCommand.Build(context));
        map.Add(Tiles.TilesCommand.Build(context));
        return map;
    }
}
