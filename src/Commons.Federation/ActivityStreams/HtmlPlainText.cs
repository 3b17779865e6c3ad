using System.Net;
using System.Text;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// A remote actor's HTML (<c>summary</c>) as plain text: tags dropped (the content of <c>script</c> and <c>style</c> too),
/// paragraphs and line breaks kept as newlines, entities decoded, control characters and runs of spaces removed. Pages
/// encode what they show, so nothing here is trusted as markup; this only makes the text readable, and bounded: the input
/// is read up to <see cref="MaxInput"/> characters and the result cut at the caller's length.
/// </summary>
public static class HtmlPlainText
{
    public const int MaxInput = 32 * 1024;

    private static readonly HashSet<string> BreakTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section", "article",
    };

    private static readonly HashSet<string> ParagraphTags = new(StringComparer.OrdinalIgnoreCase) { "p", "div", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6" };

    /// <summary>The text of <paramref name="html"/>, at most <paramref name="maxLength"/> characters (cut with "…"); null when blank.</summary>
    public static string? Of(string? html, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(html)) return null;
        var input = html.Length > MaxInput ? html[..MaxInput] : html;
        var raw = new StringBuilder(Math.Min(input.Length, maxLength * 2));
        var text = new StringBuilder();
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c != '<') { text.Append(c); i++; continue; }
            var end = input.IndexOf('>', i + 1);
            if (end < 0) break; // an unclosed tag: the rest is markup, not text
            var tag = TagName(input, i + 1, end);
            var opening = input[i + 1] != '/' && input[end - 1] != '/';
            Flush(text, raw);
            if (BreakTags.Contains(tag)) raw.Append(ParagraphTags.Contains(tag) ? "\n\n" : "\n");
            i = end + 1;
            if (opening && tag is "script" or "style")
            {
                var close = input.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? input.Length : close;
            }
        }
        Flush(text, raw);
        var result = Tidy(raw.ToString());
        if (result.Length == 0) return null;
        return result.Length <= maxLength ? result : result[..Math.Max(0, maxLength - 1)].TrimEnd() + "…";
    }

    private static string TagName(string input, int from, int end)
    {
        var start = from < end && input[from] == '/' ? from + 1 : from;
        var stop = start;
        while (stop < end && char.IsAsciiLetterOrDigit(input[stop])) stop++;
        return input[start..stop].ToLowerInvariant();
    }

    private static void Flush(StringBuilder text, StringBuilder raw)
    {
        if (text.Length == 0) return;
        raw.Append(WebUtility.HtmlDecode(text.ToString()).Replace('\n', ' ').Replace('\r', ' '));
        text.Clear();
    }

    /// <summary>Spaces collapsed within lines, at most one blank line between paragraphs, no control characters.</summary>
    private static string Tidy(string text)
    {
        var paragraphs = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join('\n', p.Split('\n').Select(Line).Where(l => l.Length > 0)))
            .Where(p => p.Length > 0);
        return string.Join("\n\n", paragraphs);
    }

    private static string Line(string line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            var blank = char.IsWhiteSpace(c) || char.IsControl(c);
            if (blank) { if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' '); }
            else sb.Append(c);
        }
        return sb.ToString().Trim();
    }
}
