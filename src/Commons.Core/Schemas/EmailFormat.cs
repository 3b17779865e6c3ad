using System.Text.Json;
using Json.Schema;

namespace Commons.Core.Schemas;

/// <summary>
/// The <c>email</c> format, checked in one pass with no regular expression. JsonSchema.Net checks it with a regular
/// expression under a match timeout and reads a timeout as "does not match": on a starved machine (load 75+ on two
/// cores) valid addresses were refused. This accepts the same addresses as that expression — a dot-atom or a quoted
/// local part, then a host name whose last label has 2–63 letters, an IPv4 literal or an IPv6 literal — and its
/// time depends only on the value's length, so it needs no timeout. Hand-written: no served package checks an
/// address without a regular expression (System.Net.Mail.MailAddress accepts display names and other forms).
/// </summary>
public static class EmailFormat
{
    public static readonly Format Email = new PredicateFormat("email", Check);
    public static readonly Format IdnEmail = new PredicateFormat("idn-email", Check);

    private static bool Check(JsonElement e) => e.ValueKind != JsonValueKind.String || IsAddress(e.GetString()!);

    public static bool IsAddress(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || Normalised(value) is not { } ascii) return false;
        value = ascii;
        int domainStart;
        if (value[0] == '"')
        {
            // The domain can hold neither '"' nor '@', so only the last '"@' can end a quoted local part.
            var end = value.LastIndexOf("\"@", StringComparison.Ordinal);
            if (end < 2 || value[end - 1] == '\\' || value.AsSpan(1, end - 1).Contains('\n')) return false;
            domainStart = end + 2;
        }
        else
        {
            var at = value.IndexOf('@');
            if (at < 1 || !IsDotAtom(value.AsSpan(0, at))) return false;
            domainStart = at + 1;
        }
        return IsDomain(value.AsSpan(domainStart));
    }

    /// <summary>
    /// The address with what follows its first '@' mapped to ASCII (IDNA), as the library does before matching; null
    /// when that part is no domain name IDNA accepts.
    /// </summary>
    private static string? Normalised(string value)
    {
        var at = value.IndexOf('@');
        if (at < 0 || at == value.Length - 1) return value;
        try { return string.Concat(value.AsSpan(0, at + 1), new System.Globalization.IdnMapping().GetAscii(value[(at + 1)..])); }
        catch (ArgumentException) { return null; }
    }

    private static bool IsDotAtom(ReadOnlySpan<char> local)
    {
        var atomLength = 0;
        foreach (var c in local)
        {
            if (c == '.')
            {
                if (atomLength == 0) return false;
                atomLength = 0;
            }
            else if (IsAtomChar(c)) atomLength++;
            else return false;
        }
        return atomLength > 0;
    }

    private static bool IsAtomChar(char c) => char.IsAsciiLetterOrDigit(c) || "-!#$%&'*+/=?^`{}|~_".Contains(c);

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Length == 0) return false;
        if (domain[0] == '[') return domain[^1] == ']' && IsAddressLiteral(domain[1..^1]);
        var lastDot = domain.LastIndexOf('.');
        if (lastDot < 1) return false;
        var top = domain[(lastDot + 1)..];
        if (top.Length is < 2 or > 63 || top.IndexOfAnyExcept(LetterSet) >= 0) return false;
        foreach (var label in new LabelEnumerator(domain[..lastDot]))
            if (!IsLabel(label)) return false;
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> LetterSet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static bool IsLabel(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > 63 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1])) return false;
        foreach (var c in label)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        return true;
    }

    private static bool IsAddressLiteral(ReadOnlySpan<char> literal)
    {
        if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = literal[5..];
            if (rest.Length == 0) return false;
            foreach (var c in rest)
                if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.') return false;
            return true;
        }
        var parts = 0;
        foreach (var part in new LabelEnumerator(literal))
        {
            if (++parts > 4 || part.Length is 0 or > 3 || part.IndexOfAnyExcept(DigitSet) >= 0) return false;
        }
        return parts == 4;
    }

    private static readonly System.Buffers.SearchValues<char> DigitSet = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>The dot-separated parts of a span, empty parts included.</summary>
    private ref struct LabelEnumerator(ReadOnlySpan<char> text)
    {
        private ReadOnlySpan<char> _rest = text;
        private bool _done;
        public ReadOnlySpan<char> Current { get; private set; }
        public readonly LabelEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done) return false;
            var dot = _rest.IndexOf('.');
            if (dot < 0) { Current = _rest; _done = true; return true; }
            Current = _rest[..dot];
            _rest = _rest[(dot + 1)..];
            return true;
        }
    }
}
