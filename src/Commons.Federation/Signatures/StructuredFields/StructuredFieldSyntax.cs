namespace Commons.Federation.Signatures.StructuredFields;

internal static class StructuredFieldSyntax
{
    public static bool IsKey(string key)
    {
        if (key.Length == 0 || !(IsLcAlpha(key[0]) || key[0] == '*'))
        {
            return false;
        }
        foreach (var c in key)
        {
            if (!IsKeyChar(c))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsToken(string token)
    {
        if (token.Length == 0 || !(char.IsAsciiLetter(token[0]) || token[0] == '*'))
        {
            return false;
        }
        foreach (var c in token)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsLcAlpha(char c) => c is >= 'a' and <= 'z';

    public static bool IsKeyChar(char c) => IsLcAlpha(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.' or '*';

    // tchar (RFC 9110) plus ':' and '/'
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or ':' or '/';
}
