using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Commons.Core.Text;

/// <summary>Folds text for accent- and case-insensitive search: "École" and "ecole" fold to the same string.</summary>
public static class SearchText
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Every string value of a JSON document, folded, separated by a newline (so terms never run across values).</summary>
    public static string FromJson(JsonElement element)
    {
        var sb = new StringBuilder();
        Collect(element, sb);
        return Fold(sb.ToString());
    }

    private static void Collect(JsonElement element, StringBuilder sb)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Collect(p.Value, sb);
                break;
            case JsonValueKind.Array:
                foreach (var v in element.EnumerateArray()) Collect(v, sb);
                break;
        }
    }
}
