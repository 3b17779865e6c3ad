using System.Globalization;

namespace Commons.Modules.Map.Matching;

/// <summary>
/// Candidates read once and indexed by what their texts say, so each subject is scored against only the candidates that
/// share a concept or a word (exactly or a typo away) with it. The score is the weighted share of the subject's features
/// the candidate answers, each feature weighed by how rare it is among the candidates (a word every listing uses says
/// little). A candidate is returned when the hard rules hold, no family of things sets them apart, and the score
/// reaches <see cref="MinScore"/>; ties (to the hundredth) go to the nearer commune.
/// </summary>
public sealed class MatchIndex
{
    public const int DefaultLimit = 20;
    /// <summary>The least share of the subject's weighed words a candidate must answer.</summary>
    public const double MinScore = 0.2;
    /// <summary>A word met a typo away counts for this much of an exact one.</summary>
    public const double SpellingWeight = 0.8;

    private readonly List<Listing> _listings;
    private readonly List<TextFeatures> _features;
    // Feature → the candidates that have it, with the weight it has in each.
    private readonly Dictionary<string, List<(int Index, double Weight)>> _postings = new(StringComparer.Ordinal);
    private readonly Spelling _stems = new();
    private readonly Vocabulary _vocabulary;
    private readonly Spelling _vocabularySpelling;
    private readonly Words _words = new();
    private readonly object _gate = new();

    public MatchIndex(IEnumerable<Listing> candidates) : this(candidates, Vocabulary.Default) { }

    internal MatchIndex(IEnumerable<Listing> candidates, Vocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _vocabularySpelling = SpellingOf(vocabulary);
        _listings = candidates.ToList();
        _features = new List<TextFeatures>(_listings.Count);
        for (var i = 0; i < _listings.Count; i++)
        {
            var features = TextFeatures.Of(_listings[i], vocabulary, _words, _vocabularySpelling);
            _features.Add(features);
            foreach (var (key, weight) in features.Weights)
            {
                if (!_postings.TryGetValue(key, out var list)) _postings[key] = list = [];
                list.Add((i, weight));
                if (key.StartsWith("s:", StringComparison.Ordinal)) _stems.Add(key[2..]);
            }
        }
    }

    public int Count => _listings.Count;

    /// <summary>The candidates that fit <paramref name="subject"/> (offers for a need, needs for an offer), best first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Match> For(Listing subject, DateTimeOffset now, int limit = DefaultLimit)
    {
        TextFeatures wanted;
        lock (_gate) wanted = TextFeatures.Of(subject, _vocabulary, _words, _vocabularySpelling);
        var total = 0.0;
        // Sums per candidate in an array (most queries touch thousands); which subject feature each candidate answered,
        // and how, is worked out again for the few returned only (Answers).
        var sums = new double[_listings.Count];
        var touched = new List<int>();
        var nearOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, weight) in wanted.Weights)
        {
            // A feature no candidate has (exactly or a typo away) tells none of them apart: it weighs nothing.
            if (_postings.TryGetValue(key, out var exact))
            {
                var rarity = Rarity(exact.Count);
                total += weight * rarity;
                foreach (var (i, theirs) in exact) Add(sums, touched, i, weight * rarity * theirs);
            }
            else if (key.StartsWith("s:", StringComparison.Ordinal))
            {
                var near = _stems.Near(key[2..]).Select(n => "s:" + n).ToList();
                if (near.Count == 0) continue;
                nearOf[key] = near;
                var rarity = Rarity(near.Sum(n => _postings[n].Count));
                total += weight * rarity;
                // One subject feature is answered once per candidate, by its closest word.
                var best = new Dictionary<int, double>();
                foreach (var n in near)
                    foreach (var (i, theirs) in _postings[n])
                        best[i] = Math.Max(best.GetValueOrDefault(i), weight * rarity * SpellingWeight * theirs);
                foreach (var (i, amount) in best) Add(sums, touched, i, amount);
            }
        }
        if (total <= 0) return [];

        var fitting = new List<(int Index, double Score, double? Km)>();
        foreach (var i in touched)
        {
            var candidate = _listings[i];
            // Never an organisation with itself: its own offers are not an answer to its own needs.
            if (candidate.IsNeed == subject.IsNeed || candidate.Organisation == subject.Organisation) continue;
            var share = Math.Min(1.0, sums[i] / total);
            var (need, offer) = subject.IsNeed ? (subject, candidate) : (candidate, subject);
            if (share < MinScore || HardRules.Broken(need, offer, now) is not null || wanted.FamilyConflict(_features[i]) is not null) continue;
            fitting.Add((i, Math.Round(share, 2), Communes.DistanceKm(subject.Commune, candidate.Commune)));
        }
        // Reasons are written for the few returned only.
        return fitting
            .OrderByDescending(f => f.Score)
            .ThenBy(f => f.Km ?? double.MaxValue)
            .ThenBy(f => _listings[f.Index].Source, StringComparer.Ordinal).ThenBy(f => _listings[f.Index].Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(f =>
            {
                var candidate = _listings[f.Index];
                var (need, offer) = subject.IsNeed ? (subject, candidate) : (candidate, subject);
                return new Match(candidate, f.Score, f.Km, Reasons(need, offer, wanted, _features[f.Index], Answers(wanted, _features[f.Index], nearOf), subject, candidate, f.Km));
            })
            .ToList();
    }

    private double Rarity(int df) => Math.Max(0.1, Math.Log(1 + (_listings.Count - df + 0.5) / (df + 0.5)));

    private static void Add(double[] sums, List<int> touched, int i, double amount)
    {
        if (sums[i] == 0) touched.Add(i);
        sums[i] += amount;
    }

    /// <summary>The subject's features a candidate answers, biggest first: the key, and the candidate's near word when only a typo away.</summary>
    private static List<(string Key, string? Near)> Answers(TextFeatures wanted, TextFeatures found, Dictionary<string, List<string>> nearOf) =>
        wanted.Weights.OrderByDescending(w => w.Value)
            .Select(w => found.Weights.ContainsKey(w.Key) ? (w.Key, (string?)null)
                : (w.Key, nearOf.GetValueOrDefault(w.Key)?.FirstOrDefault(found.Weights.ContainsKey)))
            .Where(a => found.Weights.ContainsKey(a.Item1) || a.Item2 is not null)
            .ToList();

    private static List<MatchReason> Reasons(Listing need, Listing offer, TextFeatures wanted, TextFeatures found, List<(string Key, string? Near)> answers,
        Listing subject, Listing candidate, double? distance)
    {
        var reasons = HardRules.Reasons(need, offer).ToList();
        // One line per pair of words, naming every concept they share ("vélo cargo ↔ bakfiets (cargo_bike, bike, transport)").
        var concepts = new List<(string Words, List<string> Ids)>();
        var words = new List<MatchReason>();
        foreach (var (key, near) in answers)
        {
            var mine = wanted.Written[key];
            var theirs = found.Written[near ?? key];
            if (!key.StartsWith("c:", StringComparison.Ordinal))
                words.Add(near is null ? new MatchReason("word", mine) : new MatchReason("spelling", $"{mine} ≈ {theirs}"));
            else if (concepts.FindIndex(c => c.Words == (mine == theirs ? mine : $"{mine} ↔ {theirs}")) is var at and >= 0)
                concepts[at].Ids.Add(key[2..]);
            else
                concepts.Add((mine == theirs ? mine : $"{mine} ↔ {theirs}", [key[2..]]));
        }
        reasons.AddRange(concepts.Select(c => new MatchReason("vocabulary", $"{c.Words} ({string.Join(", ", c.Ids)})")));
        reasons.AddRange(words);
        if (distance is { } km && subject.Commune is { } from && candidate.Commune is { } to)
            reasons.Add(new MatchReason("commune", $"{Communes.NameOf(from, subject.Language)} → {Communes.NameOf(to, subject.Language)}, {km.ToString("0.0", CultureInfo.InvariantCulture)} km"));
        return reasons;
    }

    private static readonly Dictionary<Vocabulary, Spelling> SpellingOfVocabulary = [];

    private static Spelling SpellingOf(Vocabulary vocabulary)
    {
        lock (SpellingOfVocabulary)
        {
            if (SpellingOfVocabulary.TryGetValue(vocabulary, out var known)) return known;
            var spelling = new Spelling();
            foreach (var phrase in vocabulary.Phrases.Keys)
                if (!phrase.Contains(' ', StringComparison.Ordinal)) spelling.Add(phrase);
            return SpellingOfVocabulary[vocabulary] = spelling;
        }
    }
}
