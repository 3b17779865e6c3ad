using System.Globalization;
using System.Text;

namespace Commons.Federation.Signatures.StructuredFields;

/// <summary>
/// Parser for RFC 8941 structured field dictionaries and items (the parsing algorithms of §4.2).
/// Throws <see cref="StructuredFieldFormatException"/> on any deviation.
/// </summary>
public static class StructuredFieldParser
{
    public static IReadOnlyList<StructuredDictionaryMember> ParseDictionary(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new Reader(input);
        reader.SkipSpaces();
        var members = new List<StructuredDictionaryMember>();
        while (!reader.AtEnd)
        {
            var key = ParseKey(ref reader);
            StructuredDictionaryMember member;
            if (reader.TryConsume('='))
            {
                member = reader.Peek == '('
                    ? StructuredDictionaryMember.ForInnerList(key, ParseInnerList(ref reader))
                    : StructuredDictionaryMember.ForItem(key, ParseItem(ref reader));
            }
            else
            {
                var parameters = ParseParameters(ref reader);
                member = StructuredDictionaryMember.ForItem(key, new StructuredItem(StructuredBareItem.Boolean(true), parameters));
            }
            // A later member with the same key overwrites an earlier one (§4.2.2) but keeps its position.
            var existing = members.FindIndex(m => m.Key == key);
            if (existing >= 0)
            {
                members[existing] = member;
            }
            else
            {
                members.Add(member);
            }
            reader.SkipOws();
            if (reader.AtEnd)
            {
                break;
            }
            if (!reader.TryConsume(','))
            {
                throw Error(reader, "expected ',' between dictionary members");
            }
            reader.SkipOws();
            if (reader.AtEnd)
            {
                throw Error(reader, "trailing comma in dictionary");
            }
        }
        return members;
    }

    public static StructuredItem ParseItemField(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new Reader(input);
        reader.SkipSpaces();
        var item = ParseItem(ref reader);
        reader.SkipSpaces();
        if (!reader.AtEnd)
        {
            throw Error(reader, "unexpected characters after item");
        }
        return item;
    }

    private static StructuredInnerList ParseInnerList(ref Reader reader)
    {
        if (!reader.TryConsume('('))
        {
            throw Error(reader, "expected '('");
        }
        var items = new List<StructuredItem>();
        while (!reader.AtEnd)
        {
            reader.SkipSpaces();
            if (reader.TryConsume(')'))
            {
                return new StructuredInnerList(items, ParseParameters(ref reader));
            }
            items.Add(ParseItem(ref reader));
            if (reader.AtEnd || (reader.Peek != ' ' && reader.Peek != ')'))
            {
                throw Error(reader, "expected ' ' or ')' in inner list");
            }
        }
        throw Error(reader, "unterminated inner list");
    }

    private static StructuredItem ParseItem(ref Reader reader)
    {
        var value = ParseBareItem(ref reader);
        return new StructuredItem(value, ParseParameters(ref reader));
    }

    private static IReadOnlyList<StructuredParameter> ParseParameters(ref Reader reader)
    {
        var parameters = new List<StructuredParameter>();
        while (reader.TryConsume(';'))
        {
            reader.SkipSpaces();
            var name = ParseKey(ref reader);
            var value = reader.TryConsume('=') ? ParseBareItem(ref reader) : StructuredBareItem.Boolean(true);
            var parameter = new StructuredParameter(name, value);
            var existing = parameters.FindIndex(p => p.Name == name);
            if (existing >= 0)
            {
                parameters[existing] = parameter;
            }
            else
            {
                parameters.Add(parameter);
            }
        }
        return parameters;
    }

    private static string ParseKey(ref Reader reader)
    {
        if (reader.AtEnd || !(StructuredFieldSyntax.IsLcAlpha(reader.Peek) || reader.Peek == '*'))
        {
            throw Error(reader, "expected a key");
        }
        var start = reader.Position;
        while (!reader.AtEnd && StructuredFieldSyntax.IsKeyChar(reader.Peek))
        {
            reader.Advance();
        }
        return reader.Slice(start);
    }

    private static StructuredBareItem ParseBareItem(ref Reader reader)
    {
        if (reader.AtEnd)
        {
            throw Error(reader, "expected an item");
        }
        var c = reader.Peek;
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ParseNumber(ref reader);
        }
        return c switch
        {
            '"' => ParseString(ref reader),
            ':' => ParseByteSequence(ref reader),
            '?' => ParseBoolean(ref reader),
            _ when char.IsAsciiLetter(c) || c == '*' => ParseToken(ref reader),
            _ => throw Error(reader, $"unexpected character '{c}'"),
        };
    }

    private static StructuredBareItem ParseNumber(ref Reader reader)
    {
        var start = reader.Position;
        reader.TryConsume('-');
        var digitsStart = reader.Position;
        var isDecimal = false;
        while (!reader.AtEnd)
        {
            var c = reader.Peek;
            if (char.IsAsciiDigit(c))
            {
                reader.Advance();
            }
            else if (c == '.' && !isDecimal)
            {
                if (reader.Position - digitsStart > 12)
                {
                    throw Error(reader, "decimal integer part too long");
                }
                isDecimal = true;
                reader.Advance();
            }
            else
            {
                break;
            }
            if (!isDecimal && reader.Position - digitsStart > 15)
            {
                throw Error(reader, "integer too long");
            }
        }
        var text = reader.Slice(start);
        var digits = reader.Slice(digitsStart);
        if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]))
        {
            throw Error(reader, "expected a digit");
        }
        if (!isDecimal)
        {
            return StructuredBareItem.Integer(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }
        if (text.EndsWith('.') || digits.Length - digits.IndexOf('.') - 1 > 3)
        {
            throw Error(reader, "malformed decimal");
        }
        return StructuredBareItem.Decimal(decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
    }

    private static StructuredBareItem ParseString(ref Reader reader)
    {
        reader.Advance(); // opening quote
        var builder = new StringBuilder();
        while (!reader.AtEnd)
        {
            var c = reader.Peek;
            reader.Advance();
            if (c == '\\')
            {
                if (reader.AtEnd || (reader.Peek != '"' && reader.Peek != '\\'))
                {
                    throw Error(reader, "invalid escape in string");
                }
                builder.Append(reader.Peek);
                reader.Advance();
            }
            else if (c == '"')
            {
                return StructuredBareItem.String(builder.ToString());
            }
            else if (c is < (char)0x20 or > (char)0x7E)
            {
                throw Error(reader, "non-printable character in string");
            }
            else
            {
                builder.Append(c);
            }
        }
        throw Error(reader, "unterminated string");
    }

    private static StructuredBareItem ParseToken(ref Reader reader)
    {
        var start = reader.Position;
        reader.Advance();
        while (!reader.AtEnd && StructuredFieldSyntax.IsTokenChar(reader.Peek))
        {
            reader.Advance();
        }
        return StructuredBareItem.Token(reader.Slice(start));
    }

    private static StructuredBareItem ParseByteSequence(ref Reader reader)
    {
        reader.Advance(); // opening colon
        var start = reader.Position;
        while (!reader.AtEnd && reader.Peek != ':')
        {
            var c = reader.Peek;
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                throw Error(reader, "invalid character in byte sequence");
            }
            reader.Advance();
        }
        if (!reader.TryConsume(':'))
        {
            throw Error(reader, "unterminated byte sequence");
        }
        var base64 = reader.Slice(start, reader.Position - 1);
        var buffer = new byte[(base64.Length + 3) / 4 * 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written))
        {
            throw Error(reader, "invalid base64 in byte sequence");
        }
        return StructuredBareItem.Bytes(buffer.AsSpan(0, written));
    }

    private static StructuredBareItem ParseBoolean(ref Reader reader)
    {
        reader.Advance(); // '?'
        if (reader.TryConsume('1'))
        {
            return StructuredBareItem.Boolean(true);
        }
        if (reader.TryConsume('0'))
        {
            return StructuredBareItem.Boolean(false);
        }
        throw Error(reader, "invalid boolean");
    }

    private static StructuredFieldFormatException Error(Reader reader, string message) =>
        new($"Invalid structured field at position {reader.Position}: {message}.");

    private ref struct Reader(string input)
    {
        private readonly string _input = input;

        public int Position { get; private set; }

        public readonly bool AtEnd => Position >= _input.Length;

        public readonly char Peek => _input[Position];

        public void Advance() => Position++;

        public bool TryConsume(char c)
        {
            if (!AtEnd && _input[Position] == c)
            {
                Position++;
                return true;
            }
            return false;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && _input[Position] == ' ')
            {
                Position++;
            }
        }

        public void SkipOws()
        {
            while (!AtEnd && _input[Position] is ' ' or '\t')
            {
                Position++;
            }
        }

        public readonly string Slice(int start) => _input[start..Position];

        public readonly string Slice(int start, int end) => _input[start..end];
    }
}
