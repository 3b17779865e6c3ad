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
    private readonly Dictionary<string, List<int>> _postings = new(StringComparer.Ordinal);
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
            foreach (var key in features.Weights.Keys)
            {
                if (!_postings.TryGetValue(key, out var list)) _postings[key] = list = [];
                list.Add(i);
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
        var scores = new Dictionary<int, Score>();
        foreach (var (key, weight) in wanted.Weights)
        {
            // A feature no candidate has (exactly or a typo away) tells none of them apart: it weighs nothing.
            if (_postings.TryGetValue(key, out var exact))
            {
                var rarity = Rarity(exact.Count);
                total += weight * rarity;
                foreach (var i in exact) Credit(scores, i, weight * rarity * _features[i].Weights[key], key, null);
            }
            else if (key.StartsWith("s:", StringComparison.Ordinal))
            {
                var near = _stems.Near(key[2..]).Select(n => "s:" + n).ToList();
                if (near.Count == 0) continue;
                var rarity = Rarity(near.Sum(n => _postings[n].Count));
                total += weight * rarity;
                foreach (var n in near)
                    foreach (var i in _postings[n]) Credit(scores, i, weight * rarity * SpellingWeight * _features[i].Weights[n], key, n);
            }
        }
        if (total <= 0) return [];

        var matches = new List<Match>();
        foreach (var (i, score) in scores)
        {
            var candidate = _listings[i];
            var (need, offer) = subject.IsNeed ? (subject, candidate) : (candidate, subject);
            // Never an organisation with itself: its own offers are not an answer to its own needs.
            if (candidate.IsNeed == subject.IsNeed || candidate.Organisation == subject.Organisation) continue;
            var share = Math.Min(1.0, score.Sum / total);
            if (share < MinScore || HardRules.Broken(need, offer, now) is not null || wanted.FamilyConflict(_features[i]) is not null) continue;
            var distance = Communes.DistanceKm(subject.Commune, candidate.Commune);
            matches.Add(new Match(candidate, Math.Round(share, 2), distance, Reasons(need, offer, wanted, _features[i], score, subject, candidate, distance)));
        }
        return matches
            .OrderByDescending(m => m.Score)
            .ThenBy(m => m.DistanceKm ?? double.MaxValue)
            .ThenBy(m => m.Listing.Source, StringComparer.Ordinal).ThenBy(m => m.Listing.Id, StringComparer.Ordinal)
            .Take(limit).ToList();
    }

    /// <summary>How rare a feature is among the candidates (BM25's inverse document frequency, never below a tenth).</summary>
    private double Rarity(int df) => Math.Max(0.1, Math.Log(1 + (_listings.Count - df + 0.5) / (df + 0.5)));

    private static void Credit(Dictionary<int, Score> scores, int i, double amount, string key, string? near)
    {
        if (!scores.TryGetValue(i, out var score)) scores[i] = score = new Score();
        // One subject feature is answered once, by its best form (exact beats a typo).
        if (score.Matched.TryGetValue(key, out var held))
        {
            if (held.Amount >= amount) return;
            score.Sum -= held.Amount;
        }
        score.Matched[key] = (amount, near);
        score.Sum += amount;
    }

    private static List<MatchReason> Reasons(Listing need, Listing offer, TextFeatures wanted, TextFeatures found, Score score,
        Listing subject, Listing candidate, double? distance)
    {
        var reasons = HardRules.Reasons(need, offer).ToList();
        // One line per pair of words, naming every concept they share ("vélo cargo ↔ bakfiets (cargo_bike, bike, transport)").
        var concepts = new List<(string Words, List<string> Ids)>();
        var words = new List<MatchReason>();
        foreach (var (key, (_, near)) in score.Matched.OrderByDescending(m => m.Value.Amount))
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

    private sealed class Score
    {
        public double Sum;
        public Dictionary<string, (double Amount, string? Near)> Matched { get; } = new(StringComparer.Ordinal);
    }
}
