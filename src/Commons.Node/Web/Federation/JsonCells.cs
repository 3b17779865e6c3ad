using System.Globalization;
using System.Text.Json;

namespace Commons.Node.Web.Federation;

/// <summary>A record's data as table cells: the first few field names of a page, each value as short plain text.</summary>
public static class JsonCells
{
    public static List<string> Columns(IEnumerable<JsonElement> rows, int max) =>
        rows.Where(r => r.ValueKind == JsonValueKind.Object)
            .SelectMany(r => r.EnumerateObject().Select(p => p.Name))
            .Distinct(StringComparer.Ordinal).Take(max).ToList();

    public static string Text(JsonElement data, string column)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(column, out var v)) return "";
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number when v.TryGetInt64(out var l) => l.ToString(CultureInfo.CurrentCulture),
            JsonValueKind.Number when v.TryGetDouble(out var d) => d.ToString(CultureInfo.CurrentCulture),
            JsonValueKind.Null => "",
            _ => v.GetRawText(),
        };
        return text.Length > 160 ? text[..160] + "…" : text;
    }
}
