using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Node.Web.Components;

namespace Commons.Node.Web.Display;

/// <summary>
/// A record's values as a member reads them in a table cell or a list: text as text, numbers and dates in the reader's
/// culture, yes/no for booleans, lists joined with commas and objects as "key: value" pairs — never JSON braces.
/// </summary>
public static class RecordValues
{
    /// <summary>The most characters a cell shows; longer values end with "…" (the record's page shows them whole).</summary>
    public const int MaxShown = 200;

    private const int MaxDepth = 3;

    /// <summary>The top-level <paramref name="field"/> of <paramref name="data"/> as text; "" when the record has no such value.</summary>
    public static string Of(JsonElement data, string field, CultureInfo culture, string yes, string no)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(field, out var value)) return "";
        return Shown(value, culture, yes, no);
    }

    /// <summary><paramref name="value"/> as text, at most <see cref="MaxShown"/> characters.</summary>
    public static string Shown(JsonElement value, CultureInfo culture, string yes, string no)
    {
        var text = new StringBuilder();
        Append(text, value, culture, yes, no, 0);
        return text.Length > MaxShown ? text.ToString(0, MaxShown).TrimEnd() + "…" : text.ToString();
    }

    /// <summary>A record's name when its title is blank: the fallback word and the id's last characters (ids share their leading, time-based part).</summary>
    public static string ShortId(string id) => id.Length <= 8 ? id : "…" + id[^6..];

    /// <summary>The record's title, or the fallback (e.g. "Untitled (…X4F2QZ)") built by <paramref name="untitled"/> from the short id.</summary>
    public static string NameOf(RecordDisplay display, JsonElement data, string id, Func<string, string> untitled) =>
        display.TitleOf(data) ?? untitled(ShortId(id));

    private static void Append(StringBuilder text, JsonElement value, CultureInfo culture, string yes, string no, int depth)
    {
        if (text.Length > MaxShown) return;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(Text(value.GetString() ?? "", culture));
                break;
            case JsonValueKind.Number:
                text.Append(Number(value, culture));
                break;
            case JsonValueKind.True:
                text.Append(yes);
                break;
            case JsonValueKind.False:
                text.Append(no);
                break;
            case JsonValueKind.Array when depth < MaxDepth:
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (text.Length > MaxShown) return;
                    if (item.ValueKind is JsonValueKind.Null) continue;
                    if (!first) text.Append(", ");
                    first = false;
                    Append(text, item, culture, yes, no, depth + 1);
                }
                break;
            case JsonValueKind.Object when depth < MaxDepth:
                var firstPair = true;
                foreach (var p in value.EnumerateObject())
                {
                    if (text.Length > MaxShown) return;
                    if (p.Value.ValueKind is JsonValueKind.Null) continue;
                    if (!firstPair) text.Append("; ");
                    firstPair = false;
                    text.Append(p.Name).Append(": ");
                    Append(text, p.Value, culture, yes, no, depth + 1);
                }
                break;
            case JsonValueKind.Array or JsonValueKind.Object:
                text.Append('…');
                break;
        }
    }

    private static string Number(JsonElement value, CultureInfo culture) =>
        value.TryGetInt64(out var whole) ? whole.ToString(culture)
        : value.TryGetDecimal(out var exact) ? exact.ToString("G", culture)
        : value.TryGetDouble(out var real) ? real.ToString("G", culture)
        : value.GetRawText();

    /// <summary>A date (<c>2025-03-31</c>) or an instant with its offset is shown as the reader writes dates; any other text as it is.</summary>
    private static string Text(string s, CultureInfo culture)
    {
        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToString("d", culture);
        if (s.Length is >= 20 and <= 40 && s[10] is 'T' or 't'
            && DateTimeOffset.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return Dates.Shown(at);
        return s;
    }
}
