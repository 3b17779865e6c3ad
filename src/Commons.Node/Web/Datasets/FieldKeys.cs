using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Commons.Node.Web.Datasets;

/// <summary>
/// Field keys (the property names records are stored under) made from what a member types: "Nom de l’atelier" →
/// <c>nom_de_l_atelier</c>, "public visé" → <c>public_vise</c>. Keys stay ASCII so that exports, the API and the
/// excluded-fields list can name them without quoting.
/// </summary>
public static partial class FieldKeys
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex KeyPattern();

    /// <summary>Whether a key may be used as it is (keys written by hand, or by older versions, keep their case).</summary>
    public static bool IsKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>
    /// The key for a text: lowercase, accents folded, every other character '_', runs of '_' collapsed and trimmed;
    /// a key starting with a digit gets <c>f_</c> before it; "" when nothing is left.
    /// </summary>
    public static string Derive(string? text)
    {
        var key = new StringBuilder();
        foreach (var c in (text ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var folded = Fold(char.ToLowerInvariant(c));
            if (folded.All(char.IsAsciiLetterOrDigit)) key.Append(folded);
            else if (key.Length > 0 && key[^1] != '_') key.Append('_');
        }
        var s = key.ToString().Trim('_');
        if (s.Length > 0 && char.IsAsciiDigit(s[0])) s = "f_" + s;
        return s.Length > MaxLength ? s[..MaxLength].TrimEnd('_') : s;
    }

    /// <summary><paramref name="key"/>, or with <c>_2</c>, <c>_3</c>… after it when another field has it already.</summary>
    public static string Unique(string key, ISet<string> taken)
    {
        var candidate = key;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            var suffix = "_" + n.ToString(CultureInfo.InvariantCulture);
            candidate = (key.Length + suffix.Length > MaxLength ? key[..(MaxLength - suffix.Length)] : key) + suffix;
        }
        return candidate;
    }

    /// <summary>Letters that are not a base letter plus an accent in Unicode.</summary>
    private static string Fold(char c) => c switch
    {
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ı' => "i",
        _ => c.ToString(),
    };
}
