using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Commons.Node.Web.Federation;

/// <summary>A field's value as a member reads it: text as it is, numbers in the page's culture, yes/no, lists joined
/// with commas, objects as "key: value" pairs; cut at <c>max</c> characters when a table cell needs it short.</summary>
public static class ReadableValue
{
    public static string Of(JsonElement data, string field, string yes, string no, int max = int.MaxValue) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(field, out var v) ? Of(v, yes, no, max) : "";

    public static string Of(JsonElement value, string yes, string no, int max = int.MaxValue)
    {
        var sb = new StringBuilder();
        Append(sb, value, yes, no, depth: 0);
        var text = sb.ToString();
        return text.Length > max ? text[..Math.Max(0, max - 1)].TrimEnd() + "…" : text;
    }

    private static void Append(StringBuilder sb, JsonElement value, string yes, string no, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String: sb.Append(value.GetString()); break;
            case JsonValueKind.Number when value.TryGetInt64(out var l): sb.Append(l.ToString(CultureInfo.CurrentCulture)); break;
            case JsonValueKind.Number when value.TryGetDecimal(out var d): sb.Append(d.ToString(CultureInfo.CurrentCulture)); break;
            case JsonValueKind.Number: sb.Append(value.GetRawText()); break;
            case JsonValueKind.True: sb.Append(yes); break;
            case JsonValueKind.False: sb.Append(no); break;
            case JsonValueKind.Array when depth < 3:
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Append(sb, item, yes, no, depth + 1);
                }
                break;
            case JsonValueKind.Object when depth < 3:
                var firstField = true;
                foreach (var p in value.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Null) continue;
                    if (!firstField) sb.Append("; ");
                    firstField = false;
                    sb.Append(p.Name).Append(": ");
                    Append(sb, p.Value, yes, no, depth + 1);
                }
                break;
            case JsonValueKind.Array or JsonValueKind.Object: sb.Append(value.GetRawText()); break;
        }
    }
}
