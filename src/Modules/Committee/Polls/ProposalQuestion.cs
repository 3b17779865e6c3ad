using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Polls;

/// <summary>
/// A proposal as its member nodes (the followers the proposals dataset's policy admits) receive and fetch it: an
/// ActivityStreams <c>Question</c> a Mastodon user reads as a poll — <c>name</c> and <c>content</c> (with
/// <c>contentMap</c> in fr/nl/en), <c>oneOf</c> with one <c>Note</c> per option named after it, <c>endTime</c> (the
/// closing time), <c>closed</c> once closed. The counts (each option's <c>replies.totalItems</c>, the ballots for it,
/// and <c>votersCount</c>) are there only when the results are not hidden, or once the proposal is decided (then from
/// the signed tally); a hidden proposal shows none before, not even zero. The record itself rides along in
/// <c>commons:data</c> for the replicas. The closing writes <c>closed</c> into the proposal, which sends the
/// <c>Update{Question}</c> with the final counts. A ballot is never a reply to this Question: see spec/federation.md.
/// </summary>
public sealed class ProposalQuestion(IModuleStore modules, IDatasetStore datasets, IRecordStore records) : IRecordObjectShape
{
    private static readonly string[] Languages = ["en", "fr", "nl"];

    public string Kind => ProposalsKind.KindName;

    public void Shape(Dataset dataset, Record record, JsonObject published)
    {
        var data = record.Data;
        // A dataset that excludes a field a poll needs (its times, its rule) publishes the plain Note.
        if (!Has(data, "title") || !Has(data, "opens") || !Has(data, "closes") || !Has(data, "quorum") || !Has(data, "rule")) return;
        var terms = ProposalTerms.Of(record.Id, data);
        var (decided, committee, ballots) = modules.Read(CommitteeBook.Module, d =>
        {
            var book = new CommitteeBook(d);
            return (book.IsDecided(dataset.Slug, record.Id), book.CommitteeOf(dataset.Slug), book.Ballots(dataset.Slug, record.Id));
        });
        published["type"] = "Question";
        published["name"] = TextOrAny(data, "title", "en") ?? record.Id;
        published["content"] = Html(data, "en");
        var map = new JsonObject();
        foreach (var language in Languages.Where(l => Text(data, "title", l) is not null || Text(data, "text", l) is not null).Order(StringComparer.Ordinal))
            map[language] = Html(data, language);
        published["contentMap"] = map;
        published["endTime"] = Utc(terms.Closes);
        if (Closed(data, decided) is { } closed) published["closed"] = Utc(DateTimeOffset.Parse(closed, System.Globalization.CultureInfo.InvariantCulture));

        // Counts only where the results are not hidden, or once decided: nothing of the votes leaves before that.
        IReadOnlyList<string>? counted = null;
        if (decided) counted = TallyOptions(committee, record.Id);
        else if (!terms.HiddenResults && committee is not null)
            counted = ballots.Where(b => committee.Member(b.Voter) is not null).Select(b => b.Option).ToList();
        var options = new JsonArray();
        foreach (var option in terms.Options)
        {
            var item = new JsonObject { ["type"] = "Note", ["name"] = OptionName(data, option) };
            if (counted is not null) item["replies"] = new JsonObject { ["type"] = "Collection", ["totalItems"] = counted.Count(o => o == option) };
            options.Add(item);
        }
        published["oneOf"] = options;
        if (counted is not null) published["votersCount"] = counted.Count;
    }

    /// <summary>The option each counted ballot chose, from the decision's signed tally (the counts the recount checks).</summary>
    private IReadOnlyList<string>? TallyOptions(CommitteeTerms? committee, string id)
    {
        if (committee is null || datasets.Find(committee.Decisions) is not { } decisions || records.Get(decisions.Key, id) is not { Deleted: false } decision)
            return null;
        return decision.Data.TryGetProperty("tally", out var tally) && tally.TryGetProperty("ballots", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(b => b.GetProperty("option").GetString()!).ToList()
            : null;
    }

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static bool Has(JsonElement data, string field) => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(field, out _);

    private static string? Closed(JsonElement data, bool decided)
    {
        if (data.TryGetProperty("closed", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
        return decided ? data.GetProperty("closes").GetString() : null;
    }

    /// <summary>The option's label in English (else French, else Dutch), or its id (yes, no, abstain).</summary>
    private static string OptionName(JsonElement data, string option)
    {
        if (data.TryGetProperty("options", out var list))
            foreach (var o in list.EnumerateArray())
                if (o.GetProperty("id").GetString() == option && o.TryGetProperty("label", out var label))
                    return Languages.Select(l => label.TryGetProperty(l, out var t) ? t.GetString() : null).FirstOrDefault(t => t is not null) ?? option;
        return option;
    }

    /// <summary>The title and text in <paramref name="language"/> (falling back to another language), HTML-encoded, as Mastodon keeps it.</summary>
    private static string Html(JsonElement data, string language)
    {
        var html = new StringBuilder();
        if (TextOrAny(data, "title", language) is { } title) html.Append("<p><strong>").Append(Encode(title)).Append("</strong></p>");
        if (TextOrAny(data, "text", language) is { } text)
            foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        return html.ToString();
    }

    // Only what HTML needs escaped: Mastodon shows the rest (accents included) as written.
    private static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string? TextOrAny(JsonElement data, string field, string language) =>
        Text(data, field, language) ?? Languages.Select(l => Text(data, field, l)).FirstOrDefault(t => t is not null);

    private static string? Text(JsonElement data, string field, string language) =>
        data.TryGetProperty(field, out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty(language, out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString() : null;
}
