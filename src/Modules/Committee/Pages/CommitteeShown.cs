using System.Globalization;
using System.Text.Json;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Committee.Pages;

/// <summary>How the committee's pages show things: texts in the page's language, times on the Brussels clock, member nodes by their address, options and refusals by their words.</summary>
internal static class CommitteeShown
{
    public static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    /// <summary>A fr/nl/en text in the page's language, else in another one it has.</summary>
    public static string Text(JsonElement map, string fallback = "")
    {
        if (map.ValueKind != JsonValueKind.Object) return fallback;
        var asked = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        foreach (var lang in new[] { asked, "fr", "nl", "en" })
            if (map.TryGetProperty(lang, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s) return s;
        return fallback;
    }

    public static string Text(JsonElement parent, string name, string fallback) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var map) ? Text(map, fallback) : fallback;

    public static DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Brussels).DateTime;

    /// <summary>The time as written (ISO, for <c>datetime</c>) on the Brussels clock.</summary>
    public static string Iso(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Brussels).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => Local(at).ToString("g", CultureInfo.CurrentCulture);

    public static string Time(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? Time(at) : iso ?? "";

    /// <summary>A Brussels wall-clock time as typed in a <c>datetime-local</c> field, with Brussels' offset on that day; null when it is no time.</summary>
    public static DateTimeOffset? Typed(string? local)
    {
        if (!DateTime.TryParseExact(local, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall)) return null;
        return new DateTimeOffset(wall, Brussels.GetUtcOffset(wall));
    }

    /// <summary>A time as a <c>datetime-local</c> field holds it, on the Brussels clock.</summary>
    public static string Field(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A member node as people read it: the host of its actor.</summary>
    public static string Member(string? actor) =>
        Uri.TryCreate(actor, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Authority : actor ?? "";

    /// <summary>An option's words: yes / no / abstain in the page's language, a choice by its label, else its id.</summary>
    public static string Option(IStringLocalizer<CommitteeText> t, JsonElement proposal, string? option)
    {
        if (option is null) return "";
        if (proposal.ValueKind == JsonValueKind.Object && proposal.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
            foreach (var o in options.EnumerateArray())
                if (o.TryGetProperty("id", out var id) && id.GetString() == option && o.TryGetProperty("label", out var label))
                    return Text(label, option);
        var known = t["Option_" + option];
        return known.ResourceNotFound ? option : known.Value;
    }

    /// <summary>A word found by its code (a rule, an outcome, a status): the page's language, else the detail or the code.</summary>
    public static string Coded(IStringLocalizer<CommitteeText> t, string prefix, string? code, string? detail = null)
    {
        if (code is null) return detail ?? "";
        var text = t[prefix + code];
        return text.ResourceNotFound ? detail ?? code : text.Value;
    }

    public static string Percent(decimal share) => (share * 100m).ToString("0.##", CultureInfo.CurrentCulture) + "\u00A0%";

    public static string Number(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d.ToString("0.##", CultureInfo.CurrentCulture) : text ?? "";

    public static string Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("d MMMM yyyy", CultureInfo.CurrentCulture) : iso ?? "";

    /// <summary>What the decision would authorise, as words.</summary>
    public static string Authorises(IStringLocalizer<CommitteeText> t, Authorisation? a) =>
        a is null ? t["AuthorisesNothing"] : t["AuthorisesSetting", Coded(t, "Setting_", a.Setting), a.Scope == "*" ? t["EveryScope"].Value : a.Scope];
}
