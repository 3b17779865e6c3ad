namespace Commons.Modules.Map.Matching;

/// <summary>
/// Words within a typo of each other: one edit for words of 5 to 7 letters, two from 8, none below (short words differ
/// by one letter too often: "salle"/"balle" is a typo, "sal"/"bal" is another word). The first letter must agree —
/// people rarely mistype it, and it keeps "location" from meeting "vocation". Lookups go through deletion variants
/// (each word indexed under itself with one or two letters removed), so finding the near words of one word never
/// walks the whole dictionary.
/// </summary>
internal sealed class Spelling
{
    private readonly Dictionary<string, List<string>> _variants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);

    public static int AllowedEdits(int length) => length >= 8 ? 2 : length >= 5 ? 1 : 0;

    public void Add(string word)
    {
        if (AllowedEdits(word.Length) == 0 || !_words.Add(word)) return;
        foreach (var variant in Variants(word, AllowedEdits(word.Length)))
        {
            if (!_variants.TryGetValue(variant, out var list)) _variants[variant] = list = [];
            list.Add(word);
        }
    }

    /// <summary>The known words a typo away from <paramref name="word"/> (itself excluded).</summary>
    public IEnumerable<string> Near(string word)
    {
        var edits = AllowedEdits(word.Length);
        if (edits == 0) yield break;
        var seen = new HashSet<string>(StringComparer.Ordinal) { word };
        foreach (var variant in Variants(word, edits))
        {
            if (!_variants.TryGetValue(variant, out var words)) continue;
            foreach (var candidate in words)
                if (seen.Add(candidate) && candidate[0] == word[0]
                    && Distance(word, candidate) <= Math.Min(edits, AllowedEdits(candidate.Length)))
                    yield return candidate;
        }
    }

    private static HashSet<string> Variants(string word, int edits)
    {
        var variants = new HashSet<string>(StringComparer.Ordinal) { word };
        var frontier = new List<string> { word };
        for (var e = 0; e < edits; e++)
        {
            var next = new List<string>();
            foreach (var w in frontier)
                for (var i = 0; i < w.Length; i++)
                {
                    var deleted = w.Remove(i, 1);
                    if (variants.Add(deleted)) next.Add(deleted);
                }
            frontier = next;
        }
        return variants;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
