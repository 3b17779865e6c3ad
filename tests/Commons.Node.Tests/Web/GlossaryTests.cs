using System.Text.RegularExpressions;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Web;

/// <summary>Every page string follows docs/glossary.md (no forbidden word for its language), exists in
/// English, French and Dutch, and keeps each language's typography.</summary>
public sealed partial class GlossaryTests
{
    private static readonly IReadOnlyList<PageString> Strings = PageStrings.All();

    [Fact]
    public void The_glossary_names_every_concept_in_three_languages_and_forbids_no_word_it_uses()
    {
        var rows = PageStrings.Rows();
        Assert.True(rows.Count >= 25, $"docs/glossary.md lists only {rows.Count} concepts");
        var forbidden = PageStrings.ForbiddenWords();
        var failures = new List<string>();
        foreach (var row in rows)
            for (var i = 0; i < 3; i++)
            {
                var language = PageStrings.Languages[i];
                var word = row[i + 1];
                if (word.Length == 0) failures.Add($"{row[0]}: no {language} word");
                if (forbidden[language].Any(f => Contains(word, f))) failures.Add($"{row[0]}: '{word}' is also forbidden in {language}");
            }
        Assert.Empty(failures);
    }

    [Fact]
    public void No_string_uses_a_word_the_glossary_forbids_for_its_language()
    {
        var forbidden = PageStrings.ForbiddenWords();
        var failures = Strings
            .SelectMany(s => forbidden[s.Language].Where(w => Contains(PageStrings.ReadableWords(s.Text), w)).Select(w => $"'{w}' in {s}"))
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_key_exists_in_english_french_and_dutch()
    {
        Assert.NotEmpty(Strings);
        var failures = Strings.GroupBy(s => (s.Set, s.Key))
            .SelectMany(g => PageStrings.Languages.Except(g.Select(s => s.Language)).Select(l => $"{g.Key.Set}.{g.Key.Key} has no {l} string"))
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void French_strings_put_a_nonbreaking_space_before_high_punctuation_and_inside_guillemets()
    {
        var failures = Strings.Where(s => s.Language == "fr")
            .Where(s => FrenchSpacing().IsMatch(PageStrings.ReadableWords(Placeholders().Replace(s.Text, "x"))))
            .Select(s => s.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Dutch_and_english_strings_put_no_space_before_high_punctuation()
    {
        var failures = Strings.Where(s => s.Language != "fr" && SpaceBeforePunctuation().IsMatch(s.Text))
            .Select(s => s.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_language_has_one_apostrophe_the_curly_one()
    {
        var failures = Strings.Where(s => StraightApostrophe().IsMatch(s.Text)).Select(s => s.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Dutch_and_french_keep_their_own_quotation_marks()
    {
        var failures = Strings
            .Where(s => (s.Language == "nl" && NotDutchQuotes().IsMatch(PageStrings.ReadableWords(s.Text)))
                || (s.Language == "fr" && NotFrenchQuotes().IsMatch(PageStrings.ReadableWords(s.Text))))
            .Select(s => s.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("Le gestionnaire : x", "gestionnaire", true)]
    [InlineData("Les gestionnaires", "gestionnaire", false)]
    [InlineData("Toegelaten PEER", "peer", true)]
    [InlineData("peer-nodes", "peer", true)]
    [InlineData("peerless", "peer", false)]
    [InlineData("Les lettres mortes", "lettres mortes", true)]
    public void A_forbidden_word_is_found_whole_and_in_any_case(string text, string word, bool found) =>
        Assert.Equal(found, Contains(text, word));

    [Theory]
    [InlineData("Nom\u00A0: x", false)]
    [InlineData("Nom\u202F: x", false)]
    [InlineData("Nom: x", true)]
    [InlineData("Nom : x", true)]
    [InlineData("«\u00A0x\u00A0»", false)]
    [InlineData("« x »", true)]
    [InlineData("Vraiment\u202F?", false)]
    [InlineData("Vraiment?", true)]
    [InlineData("à 12:30", false)]
    public void French_spacing_is_checked_as_the_typography_wants(string text, bool wrong) =>
        Assert.Equal(wrong, FrenchSpacing().IsMatch(text));

    [Theory]
    [InlineData("d'un", true)]
    [InlineData("d’un", false)]
    [InlineData("digits and '-'", false)]
    [InlineData("comma's", true)]
    public void A_straight_apostrophe_after_a_letter_is_refused(string text, bool wrong) =>
        Assert.Equal(wrong, StraightApostrophe().IsMatch(text));

    private static bool Contains(string text, string word) =>
        Regex.IsMatch(text, @"(?<![\p{L}\p{N}_])" + Regex.Escape(word) + @"(?![\p{L}\p{N}_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A high punctuation mark not preceded by a non-breaking space (and not inside a time or a URL),
    /// or a guillemet without a non-breaking space inside it.</summary>
    [GeneratedRegex(@"(?<![\u00A0\u202F\d])[:;!?](?!//)(?!\d)|«(?![\u00A0\u202F])|(?<![\u00A0\u202F])»")]
    private static partial Regex FrenchSpacing();

    [GeneratedRegex(@"[ \u00A0\u202F][:;!?](?=\s|$)")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"\p{L}'")]
    private static partial Regex StraightApostrophe();

    [GeneratedRegex("[“”«»\"]")]
    private static partial Regex NotDutchQuotes();

    [GeneratedRegex("[“”‘\"]")]
    private static partial Regex NotFrenchQuotes();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholders();
}
