namespace Commons.Modules.Map.Matching;

/// <summary>
/// What a listing's title and description say, as the matcher weighs it: the concepts of the vocabulary they name
/// (with the family each excludes), and their other words as stems. Each feature keeps its weight (the title counts
/// more than the description) and the word as it was written, for the reasons shown to people.
/// </summary>
internal sealed class TextFeatures
{
    public const double TitleWeight = 1.0;
    public const double DescriptionWeight = 0.6;
    /// <summary>A concept read from a misspelt word or from a compound's head counts less than one named outright.</summary>
    public const double IndirectWeight = 0.8;

    /// <summary>Feature key ("c:meeting_room", "s:compost") → weight.</summary>
    public Dictionary<string, double> Weights { get; } = new(StringComparer.Ordinal);
    /// <summary>Feature key → the words as written.</summary>
    public Dictionary<string, string> Written { get; } = new(StringComparer.Ordinal);
    /// <summary>Family → the concepts of it the title names (what the listing is about; a description may mention anything).</summary>
    public Dictionary<string, HashSet<string>> Families { get; } = new(StringComparer.Ordinal);

    public static string ConceptKey(string id) => "c:" + id;
    public static string StemKey(string stem) => "s:" + stem;

    /// <summary>Reads a listing's text with <paramref name="words"/> (one per thread) and the vocabulary.</summary>
    public static TextFeatures Of(Listing listing, Vocabulary vocabulary, Words words, Spelling vocabularySpelling)
    {
        var features = new TextFeatures();
        features.Read(listing.Title, TitleWeight, listing.Language, vocabulary, words, vocabularySpelling, isTitle: true);
        features.Read(listing.Description, DescriptionWeight, listing.Language, vocabulary, words, vocabularySpelling, isTitle: false);
        return features;
    }

    private void Read(string text, double weight, string language, Vocabulary vocabulary, Words words, Spelling vocabularySpelling, bool isTitle)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        var written = new List<string>();
        var stems = new List<string>();
        foreach (var token in Words.Tokens(text))
        {
            var expanded = vocabulary.Expand(token, language) ?? [token];
            foreach (var t in expanded)
            {
                if (t.Length < 2 || Words.IsStopWord(t, language)) continue;
                written.Add(expanded.Length == 1 ? t : token);
                stems.Add(words.Stem(t, language));
            }
        }
        // The longest phrase the vocabulary knows wins, left to right: "table de mixage" is a mixer, not a table.
        var covered = new bool[stems.Count];
        for (var i = 0; i < stems.Count; i++)
            for (var length = Math.Min(vocabulary.MaxPhrase, stems.Count - i); length >= 1; length--)
            {
                if (vocabulary.Phrase(string.Join(' ', stems.GetRange(i, length))) is not { } concepts) continue;
                var phrase = string.Join(' ', written.GetRange(i, length).Distinct());
                foreach (var concept in concepts) AddConcept(concept, weight, phrase, isTitle, vocabulary);
                for (var k = i; k < i + length; k++) covered[k] = true;
                i += length - 1;
                break;
            }
        for (var i = 0; i < stems.Count; i++)
        {
            var stem = stems[i];
            if (covered[i] || char.IsDigit(stem[0]) || vocabulary.IsIgnored(stem)) continue;
            // Compounds are Dutch; elsewhere a word's ending is only an ending ("samedi" is no mediation).
            var indirect = (language == "nl" ? vocabulary.Head(stem) : null)
                ?? vocabulary.Misspelt(stem, vocabularySpelling);
            if (indirect is not null)
                foreach (var concept in indirect) AddConcept(concept, weight * IndirectWeight, written[i], isTitle, vocabulary);
            Add(StemKey(stem), weight, written[i]);
        }
    }

    private void AddConcept(Concept concept, double weight, string written, bool isTitle, Vocabulary vocabulary)
    {
        Add(ConceptKey(concept.Id), weight, written);
        foreach (var broader in concept.Broader)
            if (vocabulary.Find(broader) is { } b) AddConcept(b, weight * IndirectWeight, written, isTitle: false, vocabulary);
        if (concept.Family is null || !isTitle) return;
        if (!Families.TryGetValue(concept.Family, out var members)) Families[concept.Family] = members = new HashSet<string>(StringComparer.Ordinal);
        members.Add(concept.Id);
    }

    private void Add(string key, double weight, string written)
    {
        if (Weights.TryGetValue(key, out var held) && held >= weight) return;
        Weights[key] = weight;
        Written[key] = written;
    }

    /// <summary>
    /// The two texts name things of one family and none in common (a sports hall for a meeting room): they do not fit,
    /// however many other words they share.
    /// </summary>
    public string? FamilyConflict(TextFeatures other)
    {
        foreach (var (family, mine) in Families)
            if (other.Families.TryGetValue(family, out var theirs) && !mine.Overlaps(theirs)) return family;
        return null;
    }
}
