using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Pages;

/// <summary>
/// A new proposal's record made from the form: what the form itself can tell wrong (no title, a time that is none, a
/// quorum outside 0–100 %, a choice without letters or twice) comes back by field; the kind's rules judge the rest.
/// </summary>
internal static class ProposalDraft
{
    public static JsonElement? Build(ProposalForm form, Dictionary<string, string> errors)
    {
        var title = Texts(form.TitleFr, form.TitleNl, form.TitleEn);
        if (title.Count == 0) errors["title"] = "TitleRequired";
        var opens = CommitteeShown.Typed(form.Opens);
        if (opens is null) errors["opens"] = "InvalidTime";
        var closes = CommitteeShown.Typed(form.Closes);
        if (closes is null) errors["closes"] = "InvalidTime";
        var quorum = decimal.TryParse(form.Quorum?.Replace(',', '.').Replace("%", "", StringComparison.Ordinal).Trim(), NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 100 ? q / 100m : (decimal?)null;
        if (quorum is null) errors["quorum"] = "InvalidQuorum";
        if (form.Rule is not (VotingRules.Simple or VotingRules.TwoThirds or VotingRules.Consent)) errors["rule"] = "ChooseRule";
        var choices = (form.Choices ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var ids = choices.Select(Id).ToList();
        if (choices.Count == 1 || choices.Count > 20 || ids.Any(i => i.Length == 0) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            errors["options"] = "InvalidChoices";
        if (errors.Count > 0) return null;

        var data = new JsonObject
        {
            ["title"] = title,
            ["opens"] = Time(opens!.Value), ["closes"] = Time(closes!.Value),
            ["quorum"] = JsonValue.Create(quorum!.Value), ["rule"] = form.Rule, ["hiddenResults"] = form.Hidden,
        };
        var text = Texts(form.TextFr, form.TextNl, form.TextEn);
        if (text.Count > 0) data["text"] = text;
        if (choices.Count > 0)
            data["options"] = new JsonArray(choices.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = ids[i], ["label"] = new JsonObject { ["fr"] = c, ["nl"] = c, ["en"] = c },
            }).ToArray());
        if (!string.IsNullOrEmpty(form.Setting))
            data["authorises"] = new JsonObject { ["setting"] = form.Setting, ["scope"] = string.IsNullOrWhiteSpace(form.Scope) ? "*" : form.Scope.Trim() };
        return JsonSerializer.SerializeToElement<JsonNode>(data);
    }

    /// <summary>The field of the form a rule's or the schema's JSON path points at (<c>$.title.fr</c>, <c>closes</c>).</summary>
    public static string FieldOf(string? path)
    {
        var plain = (path ?? "").TrimStart('$', '.', '/');
        var first = plain.Split('.', '/', '[')[0];
        return first switch
        {
            "title" or "text" or "opens" or "closes" or "quorum" or "rule" or "options" => first,
            "hiddenResults" => "hidden",
            "authorises" => "setting",
            _ => "title",
        };
    }

    private static JsonObject Texts(string? fr, string? nl, string? en)
    {
        var map = new JsonObject();
        if (!string.IsNullOrWhiteSpace(fr)) map["fr"] = fr.Trim();
        if (!string.IsNullOrWhiteSpace(nl)) map["nl"] = nl.Trim();
        if (!string.IsNullOrWhiteSpace(en)) map["en"] = en.Trim();
        return map;
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A choice's id from its words: letters and digits without accents, dashes between, at most 40.</summary>
    internal static string Id(string label)
    {
        var plain = new StringBuilder();
        foreach (var c in label.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }
        var id = string.Join('-', plain.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        return id.Length > 40 ? id[..40].TrimEnd('-') : id;
    }
}
