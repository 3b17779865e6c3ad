using System.Text;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>
/// Parses the comma-separated <c>name="value"</c> list of a cavage Signature header. Names are
/// case-sensitive as the draft defines them; created/expires may be unquoted; duplicates are rejected.
/// </summary>
internal static class CavageParameterListParser
{
    public static Dictionary<string, string> Parse(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (true)
        {
            SkipWhitespace(value, ref i);
            if (i >= value.Length)
            {
                break;
            }
            var nameStart = i;
            while (i < value.Length && (char.IsAsciiLetterOrDigit(value[i]) || value[i] == '-' || value[i] == '_'))
            {
                i++;
            }
            var name = value[nameStart..i];
            if (name.Length == 0)
            {
                throw new FormatException($"Expected a parameter name at position {i}.");
            }
            SkipWhitespace(value, ref i);
            if (i >= value.Length || value[i] != '=')
            {
                throw new FormatException($"Expected '=' after '{name}'.");
            }
            i++;
            SkipWhitespace(value, ref i);
            var parameterValue = i < value.Length && value[i] == '"' ? ReadQuoted(value, ref i) : ReadBare(value, ref i);
            if (!result.TryAdd(name, parameterValue))
            {
                throw new FormatException($"Parameter '{name}' occurs more than once.");
            }
            SkipWhitespace(value, ref i);
            if (i >= value.Length)
            {
                break;
            }
            if (value[i] != ',')
            {
                throw new FormatException($"Expected ',' at position {i}.");
            }
            i++;
        }
        if (result.Count == 0)
        {
            throw new FormatException("The Signature header is empty.");
        }
        return result;
    }

    private static string ReadQuoted(string value, ref int i)
    {
        i++; // opening quote
        var builder = new StringBuilder();
        while (i < value.Length)
        {
            var c = value[i++];
            if (c == '"')
            {
                return builder.ToString();
            }
            if (c == '\\' && i < value.Length)
            {
                c = value[i++];
            }
            builder.Append(c);
        }
        throw new FormatException("Unterminated quoted string.");
    }

    private static string ReadBare(string value, ref int i)
    {
        var start = i;
        while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] == '.'))
        {
            i++;
        }
        if (i == start)
        {
            throw new FormatException($"Expected a quoted string or number at position {start}.");
        }
        return value[start..i];
    }

    private static void SkipWhitespace(string value, ref int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t')
        {
            i++;
        }
    }
}
