using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Commons.Node.Tests.Support;

/// <summary>One string of a page resource file: which file set (Ui, AdminText…), its key, language and text.</summary>
public sealed record PageString(string Set, string Key, string Language, string Text)
{
    public override string ToString() => $"{Set}.{Key} ({Language}): {Text}";
}

/// <summary>The page strings (every .resx under the node's Web/Resources and each module's Resources) and
/// the glossary's forbidden words (docs/glossary.md), read from the repository.</summary>
public static partial class PageStrings
{
    public static readonly string[] Languages = ["en", "fr", "nl"];

    public static IReadOnlyList<string> ResourceFiles()
    {
        var root = ProblemCodeTable.RepositoryRoot();
        var node = Directory.GetFiles(Path.Combine(root, "src", "Commons.Node", "Web", "Resources"), "*.resx");
        var modules = Directory.GetDirectories(Path.Combine(root, "src", "Modules"))
            .Select(m => Path.Combine(m, "Resources")).Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.resx"));
        return [.. node.Concat(modules).Order(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<PageString> All() => [.. ResourceFiles().SelectMany(Read)];

    private static IEnumerable<PageString> Read(string file)
    {
        var parts = Path.GetFileNameWithoutExtension(file).Split('.');
        var set = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)!)!) + "/" + parts[0];
        var language = parts.Length > 1 ? parts[1] : "en";
        return XDocument.Load(file).Root!.Elements("data")
            .Select(d => new PageString(set, (string)d.Attribute("name")!, language, (string?)d.Element("value") ?? ""));
    }

    /// <summary>Language → the words the glossary's "not" columns forbid in it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ForbiddenWords()
    {
        var lines = File.ReadAllLines(Path.Combine(ProblemCodeTable.RepositoryRoot(), "docs", "glossary.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| Concept |", StringComparison.Ordinal));
        if (header < 0) throw new InvalidOperationException("docs/glossary.md has no table headed '| Concept |'");
        var columns = Cells(lines[header]);
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var language in Languages)
        {
            var column = Array.IndexOf(columns, "not " + language);
            if (column < 0) throw new InvalidOperationException($"docs/glossary.md has no 'not {language}' column");
            result[language] = [.. lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
                .SelectMany(l => Cells(l)[column].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        }
        return result;
    }

    /// <summary>The concepts' rows: concept → language → its one word.</summary>
    public static IReadOnlyList<string[]> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(ProblemCodeTable.RepositoryRoot(), "docs", "glossary.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| Concept |", StringComparison.Ordinal));
        return [.. lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells)];
    }

    private static string[] Cells(string row) => [.. row.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    /// <summary>The text a reader reads as words: addresses, domain names, e-mail-like handles,
    /// configuration keys (Commons:PublicUrl),
    /// JSON examples, the product's name and commons-node commands are left out, since they are names, not words.</summary>
    public static string ReadableWords(string text) => NotWords().Replace(text, " ");

    [GeneratedRegex(@"Commons Node|commons-node\b|\{[^{}]*""[^{}]*\}|\(""[^()]*\)|\S*(?:https?://|[\w-]\.[a-z]{2,}\b|@|\w:\w)\S*", RegexOptions.IgnoreCase)]
    private static partial Regex NotWords();
}
