using System.Globalization;
using Commons.Core.Datasets;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Place.Pages;

/// <summary>How the place's pages show things: times on the Brussels wall clock in the reader's culture, names in their language, refusals by code.</summary>
internal static class Shown
{
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    public static string Text(LocalizedText text, string fallback) => text.In(Language) ?? fallback;

    public static string Iso(DateTimeOffset t) => PlaceTime.Text(t);

    /// <summary>Date and short time ("g") or the time alone ("t"), as read in Brussels.</summary>
    public static string Time(DateTimeOffset t, string format = "g") => PlaceTime.Local(t).ToString(format, CultureInfo.CurrentCulture);

    public static string Day(DateOnly day) => day.ToString("D", CultureInfo.CurrentCulture);

    /// <summary>Who holds a booking, as people read it: a member's name, or the host of the node that asked for it.</summary>
    public static string Holder(string bookedBy) =>
        Uri.TryCreate(bookedBy, UriKind.Absolute, out var actor) && actor.Scheme is "https" or "http" ? actor.Authority : bookedBy;

    /// <summary>The rule's message in the reader's language, found by its code: the same code the API and a peer see.</summary>
    public static string Refusal(IStringLocalizer<PlaceText> t, string code, string detail)
    {
        // The rules' own messages first (Rule_), then the place's others (Error_), else the detail the rule gave.
        var rule = t["Rule_" + code];
        if (!rule.ResourceNotFound) return rule.Value;
        var message = t["Error_" + code];
        return message.ResourceNotFound ? detail : message.Value;
    }
}
