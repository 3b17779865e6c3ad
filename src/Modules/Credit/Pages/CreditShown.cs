using System.Globalization;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Credit.Pages;

/// <summary>How the credit pages show things: amounts with the unit's decimals and symbol in the reader's culture, times on the Brussels clock, members by their address, refusals by code.</summary>
internal static class CreditShown
{
    public static string Amount(decimal amount, int precision, string symbol) =>
        amount.ToString("N" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentCulture) + "\u00A0" + symbol;

    /// <summary>The transaction's time as written (ISO, for <c>datetime</c>) and as read in Brussels.</summary>
    public static string Iso(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, CreditAccounts.Brussels).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => CreditAccounts.Local(at).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>A member node as people read it: the host of its actor.</summary>
    public static string Member(string actor) =>
        Uri.TryCreate(actor, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Authority : actor;

    /// <summary>The rule's message in the reader's language, found by its code (the code the API and a peer see), else the detail.</summary>
    public static string Refusal(IStringLocalizer<CreditText> t, string code, string? detail)
    {
        var rule = t["Rule_" + code];
        return rule.ResourceNotFound ? detail ?? code : rule.Value;
    }

    /// <summary>An audit failure's name in the reader's language, found by its code; the code itself when unknown.</summary>
    public static string Audit(IStringLocalizer<CreditText> t, string code)
    {
        var text = t["Audit_" + code];
        return text.ResourceNotFound ? code : text.Value;
    }

    /// <summary>An amount as typed: a comma or a point before the decimals, spaces ignored; null when it is no number.</summary>
    public static string? Typed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var plain = text.Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(plain, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? plain : null;
    }
}
