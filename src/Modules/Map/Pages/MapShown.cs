using System.Globalization;
using System.Text.Json;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Map.Pages;

/// <summary>How the map's pages show things: texts in the reader's language, communes by their official name, days on the Brussels calendar, conditions in words.</summary>
internal static class MapShown
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is "fr" or "nl" ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : "en";

    public static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>A text kept per language ({fr, nl, en}): the reader's, else French, Dutch, English in that order.</summary>
    public static string? InLanguage(JsonElement data, string name)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(name, out var texts) || texts.ValueKind != JsonValueKind.Object) return null;
        foreach (var language in new[] { Language, "fr", "nl", "en" })
            if (Text(texts, language) is { } text) return text;
        return null;
    }

    public static IReadOnlyList<string> Strings(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    public static string Commune(string code) => Communes.NameOf(code, Language);

    public static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Brussels).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>The conditions in words: "free", "in exchange", "12.50 € per hour", "3 hours of credit"…</summary>
    public static string Conditions(IStringLocalizer<MapText> t, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("conditions", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            return t["ConditionsNone"];
        var parts = new List<string>();
        foreach (var condition in list.EnumerateArray())
        {
            var type = Text(condition, "type") ?? "";
            var amount = condition.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetDecimal(out var d)
                ? d.ToString("0.##", CultureInfo.CurrentCulture) : "";
            var unit = Text(condition, "unit") ?? "";
            var currency = Text(condition, "currency") ?? "";
            parts.Add(type switch
            {
                "free" => t["Condition_free"],
                "exchange" => t["Condition_exchange"],
                "price_eur" => unit == "" ? string.Format(CultureInfo.CurrentCulture, t["Condition_price"], amount) : string.Format(CultureInfo.CurrentCulture, t["Condition_price_per"], amount, unit),
                "credit" => string.Format(CultureInfo.CurrentCulture, t["Condition_credit"], amount, unit, currency).Trim(),
                _ => type,
            });
        }
        return string.Join(" · ", parts);
    }

    /// <summary>A matcher's reason in the reader's words, with its detail (the category, the words, the distance) in them.</summary>
    public static string Reason(IStringLocalizer<MapText> t, MatchReason reason, Listing ours, Match match)
    {
        var detail = reason.Code switch
        {
            "category" => t["Category_" + reason.Detail].Value,
            "capacity" => Unit(t, reason.Detail),
            // "salle ↔ zaal (meeting_room, room)": the concepts' ids are the vocabulary's keys, not words a member uses.
            "vocabulary" when reason.Detail.LastIndexOf(" (", StringComparison.Ordinal) is > 0 and var open => reason.Detail[..open],
            // The matcher names the communes in our listing's language; the reader's may differ.
            "commune" when ours.Commune is { } from && match.Listing.Commune is { } to && match.DistanceKm is { } km =>
                $"{Commune(from)} → {Commune(to)}, {km.ToString("0.0", CultureInfo.CurrentCulture)} km",
            _ => reason.Detail,
        };
        var words = t["Reason_" + reason.Code];
        return words.ResourceNotFound ? $"{reason.Code}: {detail}" : string.Format(CultureInfo.CurrentCulture, words.Value, detail);
    }

    /// <summary>"40 ≥ 20 persons" with the unit (its last word) in the reader's language.</summary>
    private static string Unit(IStringLocalizer<MapText> t, string detail)
    {
        var space = detail.LastIndexOf(' ');
        if (space < 0) return detail;
        var unit = t["Unit_" + detail[(space + 1)..]];
        return unit.ResourceNotFound ? detail : detail[..(space + 1)] + unit.Value;
    }
}
