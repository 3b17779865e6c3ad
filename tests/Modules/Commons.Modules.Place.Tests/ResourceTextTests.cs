using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Commons.Modules.Place.Tests;

/// <summary>Every string of the place's pages exists in English, French and Dutch, and every key a page asks for is there.</summary>
public sealed partial class ResourceTextTests
{
    private static readonly string Module = Path.Combine(Root(), "src", "Modules", "Place");

    private static Dictionary<string, string> Strings(string suffix) =>
        XDocument.Load(Path.Combine(Module, "Resources", $"PlaceText{suffix}.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Fact]
    public void The_three_languages_have_the_same_keys_and_no_empty_string()
    {
        var en = Strings("");
        foreach (var suffix in new[] { ".fr", ".nl" })
        {
            var other = Strings(suffix);
            Assert.Equal(en.Keys.Order(), other.Keys.Order());
            Assert.All(other, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"{suffix}: {kv.Key}"));
        }
    }

    [Fact]
    public void Every_key_a_page_names_and_every_rule_code_has_a_string()
    {
        var en = Strings("");
        var pages = Directory.GetFiles(Path.Combine(Module, "Pages"), "*.razor").Select(File.ReadAllText);
        var named = pages.SelectMany(p => Key().Matches(p).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.NotEmpty(named);
        Assert.All(named, k => Assert.True(en.ContainsKey(k), $"missing {k}"));
        // Every code a rule or a request may answer has its message, for this node's pages and for a refusal shown on the asking node.
        var codes = new PlaceModule().Kinds.SelectMany(k => k.ProblemCodes);
        Assert.All(codes, c => Assert.True(en.ContainsKey("Rule_" + c), $"no message for {c}"));
        Assert.All(new[] { "room", "item" }, c => Assert.True(en.ContainsKey("Category_" + c)));
        Assert.All(new[] { "confirmed", "cancelled" }, s => Assert.True(en.ContainsKey("State_" + s)));
        var schema = System.Text.Json.JsonDocument.Parse(new Kinds.ResourcesKind().Schema).RootElement;
        var features = schema.GetProperty("properties").GetProperty("accessibilityFeature").GetProperty("items").GetProperty("enum").EnumerateArray();
        Assert.All(features, f => Assert.True(en.ContainsKey("Access_" + f.GetString()), $"no label for {f}"));
    }

    [GeneratedRegex("T\\[\"([A-Za-z_]+)\"[\\],]")]
    private static partial Regex Key();

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
