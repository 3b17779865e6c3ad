using System.CommandLine;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Services;

namespace Commons.Node.Cli;

/// <summary><c>commons-node node show|set-name NAME|set-description [--fr T] [--nl T] [--en T]</c>: the organisation members see on the dashboard.</summary>
internal static class NodeCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var node = new Command("node", "The node's name and the organisation's description, shown to members on the dashboard.");

        var show = new Command("show", "Show the node's name and description.");
        show.SetAction(p =>
        {
            var c = context();
            var profile = c.Get<NodeProfileService>().GetForChange(CliContext.Operator);
            c.Out.WriteLine($"name: {profile.Name}");
            foreach (var (language, text) in Languages(profile.Description)) c.Out.WriteLine($"description.{language}: {text ?? ""}");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "1 to 100 characters." };
        var setName = new Command("set-name", "Rename the node.") { name };
        setName.SetAction(p =>
        {
            var c = context();
            var profile = c.Get<NodeProfileService>().Change(CliContext.Operator, p.GetValue(name), null);
            c.Out.WriteLine($"node name: {profile.Name}");
            return 0;
        });

        var fr = new Option<string?>("--fr") { Description = "The description in French (\"\" clears it)." };
        var nl = new Option<string?>("--nl") { Description = "The description in Dutch (\"\" clears it)." };
        var en = new Option<string?>("--en") { Description = "The description in English (\"\" clears it)." };
        var setDescription = new Command("set-description", "Describe the organisation; the languages not given are kept.") { fr, nl, en };
        setDescription.SetAction(p =>
        {
            var c = context();
            var (givenFr, givenNl, givenEn) = (p.GetValue(fr), p.GetValue(nl), p.GetValue(en));
            if (givenFr is null && givenNl is null && givenEn is null)
                throw ValidationException.For("description", "give it with --fr, --nl or --en (\"\" clears a language)");
            var profiles = c.Get<NodeProfileService>();
            var current = profiles.GetForChange(CliContext.Operator).Description;
            var description = new LocalizedText(givenFr ?? current.Fr, givenNl ?? current.Nl, givenEn ?? current.En);
            var profile = profiles.Change(CliContext.Operator, null, description);
            var set = Languages(profile.Description).Where(l => l.Text is not null).Select(l => l.Language).ToList();
            c.Out.WriteLine($"description of {profile.Name}: {(set.Count == 0 ? "none" : string.Join(", ", set))}");
            return 0;
        });

        node.Add(show);
        node.Add(setName);
        node.Add(setDescription);
        return node;
    }

    private static (string Language, string? Text)[] Languages(LocalizedText t) => [("fr", t.Fr), ("nl", t.Nl), ("en", t.En)];
}
