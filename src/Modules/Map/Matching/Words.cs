using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Nl;
using Lucene.Net.Analysis.Util;

namespace Commons.Modules.Map.Matching;

/// <summary>
/// Words as the matcher compares them: split on anything that is not a letter or a digit, lower-cased, accents folded
/// to ASCII (Lucene's ASCIIFoldingFilter, so "réunion", "reunion" and "RÉUNION" are one word), common words of the
/// text's language dropped (Lucene's French, Dutch and English stop sets), then stemmed in that language (Lucene's
/// French light stemmer, the Snowball Dutch stemmer, the English minimal stemmer) so plurals and common inflections
/// meet. Not thread-safe (the Snowball stemmer keeps state): one instance per thread.
/// </summary>
internal sealed class Words
{
    public static readonly IReadOnlyList<string> Languages = ["fr", "nl", "en"];

    private static readonly Dictionary<string, HashSet<string>> StopWords = new()
    {
        ["fr"] = FoldAll(FrenchAnalyzer.DefaultStopSet),
        ["nl"] = FoldAll(DutchAnalyzer.DefaultStopSet),
        ["en"] = FoldAll(EnglishAnalyzer.DefaultStopSet),
    };

    private readonly FrenchLightStemmer _french = new();
    private readonly EnglishMinimalStemmer _english = new();
    private readonly Lucene.Net.Tartarus.Snowball.Ext.DutchStemmer _dutch = new();
    private char[] _buffer = new char[64];
    private readonly Dictionary<string, Dictionary<string, string>> _stems = new(StringComparer.Ordinal);
    private const int MaxRemembered = 200_000;

    /// <summary>Folded tokens of <paramref name="text"/>, in order, stop words included.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                tokens.Add(folded[start..i]);
                start = -1;
            }
        }
        return tokens;
    }

    public static bool IsStopWord(string token, string language) =>
        StopWords.TryGetValue(language, out var set) && set.Contains(token);

    /// <summary>Lower case, accents and ligatures folded to ASCII ("Œuvre" → "oeuvre", "m²" → "m2").</summary>
    public static string Fold(string text)
    {
        var lower = text.ToLowerInvariant();
        var input = lower.ToCharArray();
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }

    /// <summary>The stem of a folded token in <paramref name="language"/>; numbers and short words stay as they are.</summary>
    public string Stem(string token, string language)
    {
        if (token.Length < 3 || char.IsDigit(token[0])) return token;
        // The same words come back in listing after listing: each is stemmed once per language.
        if (!_stems.TryGetValue(language, out var known)) _stems[language] = known = new Dictionary<string, string>(StringComparer.Ordinal);
        if (known.TryGetValue(token, out var stem)) return stem;
        switch (language)
        {
            case "nl":
                _dutch.SetCurrent(token);
                _dutch.Stem();
                stem = _dutch.Current;
                break;
            case "en":
                stem = StemChars(token, (b, l) => _english.Stem(b, l));
                break;
            default:
                stem = StemChars(token, (b, l) => _french.Stem(b, l));
                break;
        }
        if (known.Count < MaxRemembered) known[token] = stem;
        return stem;
    }

    private string StemChars(string token, Func<char[], int, int> stem)
    {
        if (_buffer.Length < token.Length) _buffer = new char[token.Length * 2];
        token.CopyTo(0, _buffer, 0, token.Length);
        var length = stem(_buffer, token.Length);
        return new string(_buffer, 0, length);
    }

    private static HashSet<string> FoldAll(CharArraySet set)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in set) words.Add(Fold(word));
        return words;
    }
}
