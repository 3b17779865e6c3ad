using System.Text.Json;

namespace Commons.Modules.Map.Matching;

/// <summary>A thing the vocabulary names (a meeting room), the family of things it excludes (room uses), and the broader things it is (a room).</summary>
internal sealed record Concept(string Id, string? Family, IReadOnlyList<string> Broader);

/// <summary>
/// The matcher's knowledge of words, all of it data (Data/vocabulary.json, Data/abbreviations.json): synonym groups
/// across French, Dutch and English, the abbreviations of quick messages, and the words that only say something is
/// sought or offered. Each term is kept as the sequence of stems the texts are reduced to, under each language's
/// stemmer, so a French text that says "bakfiets" meets the Dutch group as well as a Dutch one does.
/// </summary>
internal sealed class Vocabulary
{
    /// <summary>The shortest stem a Dutch compound's head may be ("opslag|ruimte", "vergader|zaal").</summary>
    public const int ShortestHead = 4;

    public static Vocabulary Default { get; } = Load(MapData.Read("vocabulary"), MapData.Read("abbreviations"));

    private readonly Dictionary<string, Dictionary<string, string[]>> _abbreviations = [];
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);
    // Phrase (stems joined by a space) → the concepts it names; the longest phrase has MaxPhrase stems.
    private readonly Dictionary<string, List<Concept>> _phrases = new(StringComparer.Ordinal);
    // Single-stem terms long enough to be a compound's head.
    private readonly Dictionary<string, List<Concept>> _heads = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Concept> _concepts = new(StringComparer.Ordinal);

    public int MaxPhrase { get; private set; } = 1;

    public Concept? Find(string id) => _concepts.GetValueOrDefault(id);
    public IReadOnlyDictionary<string, List<Concept>> Phrases => _phrases;

    public static Vocabulary Load(JsonElement vocabulary, JsonElement abbreviations)
    {
        var v = new Vocabulary();
        foreach (var language in Words.Languages)
            if (abbreviations.TryGetProperty(language, out var list))
                v._abbreviations[language] = list.EnumerateObject().ToDictionary(p => Words.Fold(p.Name), p => Words.Tokens(p.Value.GetString() ?? "").ToArray());
        var words = new Words();
        if (vocabulary.TryGetProperty("ignore", out var ignore))
            foreach (var language in ignore.EnumerateObject())
                foreach (var term in language.Value.EnumerateArray())
                    foreach (var stems in v.StemsUnderEveryLanguage(words, term.GetString()!))
                        if (stems.Length == 1) v._ignored.Add(stems[0]);
        foreach (var group in vocabulary.GetProperty("groups").EnumerateArray())
        {
            var concept = new Concept(group.GetProperty("id").GetString()!,
                group.TryGetProperty("family", out var f) ? f.GetString() : null,
                group.TryGetProperty("broader", out var b) ? b.EnumerateArray().Select(e => e.GetString()!).ToList() : []);
            v._concepts[concept.Id] = concept;
            foreach (var language in Words.Languages)
            {
                if (!group.TryGetProperty(language, out var terms)) continue;
                foreach (var term in terms.EnumerateArray())
                    foreach (var stems in v.StemsUnderEveryLanguage(words, term.GetString()!))
                        v.AddTerm(stems, concept);
            }
        }
        return v;
    }

    /// <summary>What an abbreviation stands for (folded tokens), the text's own language first; null if it is none.</summary>
    public string[]? Expand(string token, string language)
    {
        if (_abbreviations.TryGetValue(language, out var own) && own.TryGetValue(token, out var expanded)) return expanded;
        foreach (var (_, list) in _abbreviations)
            if (list.TryGetValue(token, out var other)) return other;
        return null;
    }

    public bool IsIgnored(string stem) => _ignored.Contains(stem);

    public IReadOnlyList<Concept>? Phrase(string stems) => _phrases.GetValueOrDefault(stems);

    /// <summary>The concepts of the longest vocabulary stem a Dutch compound ends with (its head: "opslag|ruimte"), if any.</summary>
    public IReadOnlyList<Concept>? Head(string stem)
    {
        for (var start = 1; stem.Length - start >= ShortestHead; start++)
            if (_heads.TryGetValue(stem[start..], out var concepts)) return concepts;
        return null;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<Concept>?> _misspelt = new(StringComparer.Ordinal);

    /// <summary>The concepts of the vocabulary word <paramref name="stem"/> is a typo of, if any (remembered: the same typos recur).</summary>
    public IReadOnlyList<Concept>? Misspelt(string stem, Spelling spelling) =>
        _misspelt.Count > 200_000 ? Lookup(stem, spelling) : _misspelt.GetOrAdd(stem, s => Lookup(s, spelling));

    private IReadOnlyList<Concept>? Lookup(string stem, Spelling spelling) => spelling.Near(stem).Select(Phrase).FirstOrDefault(c => c is not null);

    private IEnumerable<string[]> StemsUnderEveryLanguage(Words words, string term)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var language in Words.Languages)
        {
            var stems = Words.Tokens(term).Where(t => !Words.IsStopWord(t, language)).Select(t => words.Stem(t, language)).ToArray();
            if (stems.Length > 0 && seen.Add(string.Join(' ', stems))) yield return stems;
        }
    }

    private void AddTerm(string[] stems, Concept concept)
    {
        var key = string.Join(' ', stems);
        if (!_phrases.TryGetValue(key, out var concepts)) _phrases[key] = concepts = [];
        if (!concepts.Contains(concept)) concepts.Add(concept);
        MaxPhrase = Math.Max(MaxPhrase, stems.Length);
        if (stems.Length == 1 && stems[0].Length >= ShortestHead)
        {
            if (!_heads.TryGetValue(stems[0], out var heads)) _heads[stems[0]] = heads = [];
            if (!heads.Contains(concept)) heads.Add(concept);
        }
    }
}
