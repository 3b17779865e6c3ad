using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Commons.Web.Tests;

/// <summary>
/// The interface's strings, read from the source tree: every resource set has the same keys in English, French and
/// Dutch with the same placeholders and no empty text, and every literal key a page asks of a localiser exists in the
/// set that localiser reads (a missing key would show its own name to the user, silently).
/// </summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly string WebFolder = Path.Combine(RepositoryRoot(), "src", "Commons.Node", "Web");
    private static readonly string ResourceFolder = Path.Combine(WebFolder, "Resources");

    public static TheoryData<string> Sets()
    {
        var sets = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ResourceFolder, "*.resx").Select(Path.GetFileName).Where(f => f!.Count(c => c == '.') == 1).Order())
            sets.Add(Path.GetFileNameWithoutExtension(file)!);
        return sets;
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void French_and_Dutch_say_everything_English_says_with_the_same_placeholders(string set)
    {
        var en = Read(set, "");
        Assert.NotEmpty(en);
        foreach (var lang in new[] { "fr", "nl" })
        {
            var other = Read(set, "." + lang);
            Assert.Equal(en.Keys.Order(), other.Keys.Order());
            foreach (var (key, text) in other)
            {
                Assert.False(string.IsNullOrWhiteSpace(text), $"{set}.{lang}: {key} is empty");
                Assert.True(Placeholders(en[key]).SetEquals(Placeholders(text)), $"{set}.{lang}: {key} has placeholders {string.Join(",", Placeholders(text))}, English has {string.Join(",", Placeholders(en[key]))}");
            }
        }
        Assert.All(en, p => Assert.False(string.IsNullOrWhiteSpace(p.Value), $"{set}: {p.Key} is empty"));
    }

    [Fact]
    public void Every_key_a_page_asks_for_exists()
    {
        var missing = new List<string>();
        var checkedKeys = 0;
        var shared = new Dictionary<string, string> { ["L"] = "Ui" }; // _Imports.razor injects the shared set as L everywhere
        foreach (var file in Directory.GetFiles(WebFolder, "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var localisers = new Dictionary<string, string>(shared);
            foreach (Match m in InjectPattern().Matches(text)) localisers[m.Groups[2].Value] = m.Groups[1].Value;
            foreach (var (name, set) in localisers)
            {
                if (!File.Exists(Path.Combine(ResourceFolder, set + ".resx"))) continue;
                var keys = Read(set, "").Keys.ToHashSet(StringComparer.Ordinal);
                foreach (Match m in new Regex($@"(?<![\w.]){Regex.Escape(name)}\[""([^""{{}}]+)""").Matches(text))
                {
                    checkedKeys++;
                    if (!keys.Contains(m.Groups[1].Value)) missing.Add($"{Path.GetRelativePath(WebFolder, file)}: {name}[\"{m.Groups[1].Value}\"] is not in {set}.resx");
                }
            }
        }
        Assert.True(checkedKeys > 300, $"only {checkedKeys} keys found: the pattern no longer matches the pages");
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    private static Dictionary<string, string> Read(string set, string suffix) =>
        XDocument.Load(Path.Combine(ResourceFolder, set + suffix + ".resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (Commons.Node.sln) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"@inject\s+IStringLocalizer<(\w+)>\s+(\w+)")]
    private static partial Regex InjectPattern();

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
