using System.Globalization;
using Commons.Modules.Employers.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Employers.Pages;

/// <summary>How the group's pages show things: amounts and hours in the reader's culture, months by name, refusals by code.</summary>
internal static class Shown
{
    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.CurrentCulture) + "\u00A0€";

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.CurrentCulture);

    /// <summary>"2026-03" as "mars 2026" / "maart 2026" / "March 2026"; the text itself when it is no month.</summary>
    public static string Month(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("MMMM yyyy", CultureInfo.CurrentCulture) : month;

    /// <summary>"2026-03-01" as a date in the reader's culture; the text itself when it is no day.</summary>
    public static string Date(string day) =>
        DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("d", CultureInfo.CurrentCulture) : day;

    public static bool IsMonth(string text) => System.Text.RegularExpressions.Regex.IsMatch(text, "^[0-9]{4}-(0[1-9]|1[0-2])$");

    /// <summary>A member organisation's node as people read it: its host.</summary>
    public static string Host(string actor) => Uri.TryCreate(actor, UriKind.Absolute, out var u) ? u.Authority : actor;

    /// <summary>The rule's message in the reader's language, found by its code: the same code the API and a member node see.</summary>
    public static string Refusal(IStringLocalizer<EmployersText> t, string code, string detail)
    {
        var rule = t["Rule_" + code];
        return rule.ResourceNotFound ? detail : rule.Value;
    }
}
