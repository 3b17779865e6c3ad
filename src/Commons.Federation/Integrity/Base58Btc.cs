namespace Commons.Federation.Integrity;

/// <summary>
/// Base58 with the Bitcoin alphabet (hand-written; leading zero bytes map to leading '1's). Every proof made or checked
/// encodes or decodes a 64-byte signature, so the number is carried in wide limbs — base 58^5 when encoding, base 2^32
/// when decoding, four input bytes or five input digits a step — rather than one digit or byte at a time.
/// </summary>
public static class Base58Btc
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const uint Base58Pow5 = 58u * 58 * 58 * 58 * 58; // 656,356,768 < 2^30
    private const int StackLimbs = 64;
    private static readonly sbyte[] DecodeMap = BuildDecodeMap();

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        var rest = data[zeros..];
        // log(256)/log(58) ≈ 1.37 base-58 digits a byte, five a limb.
        var capacity = rest.Length * 138 / 100 / 5 + 2;
        var limbs = capacity <= StackLimbs ? stackalloc uint[StackLimbs] : new uint[capacity];
        var used = 0;
        // The first step takes the odd bytes, so that every later one takes four.
        for (var at = 0; at < rest.Length;)
        {
            var take = at == 0 && rest.Length % 4 != 0 ? rest.Length % 4 : 4;
            ulong carry = 0;
            for (var k = 0; k < take; k++) carry = carry << 8 | rest[at + k];
            at += take;
            for (var j = 0; j < used; j++)
            {
                carry += (ulong)limbs[j] << (8 * take);
                limbs[j] = (uint)(carry % Base58Pow5);
                carry /= Base58Pow5;
            }
            while (carry > 0)
            {
                limbs[used++] = (uint)(carry % Base58Pow5);
                carry /= Base58Pow5;
            }
        }
        // The top limb without its leading zero digits; every lower one as five digits.
        var topDigits = 0;
        if (used > 0)
            for (var top = limbs[used - 1]; top > 0; top /= 58) topDigits++;
        var length = zeros + (used == 0 ? 0 : topDigits + 5 * (used - 1));
        var chars = length <= 256 ? stackalloc char[length] : new char[length];
        chars[..zeros].Fill('1');
        var end = length;
        for (var j = 0; j < used; j++)
        {
            var limb = limbs[j];
            var digits = j == used - 1 ? topDigits : 5;
            for (var d = 0; d < digits; d++)
            {
                chars[--end] = Alphabet[(int)(limb % 58)];
                limb /= 58;
            }
        }
        return new string(chars);
    }

    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        var rest = text.AsSpan(zeros);
        // log(58)/log(256) ≈ 0.733 bytes a digit, four a limb.
        var capacity = rest.Length * 733 / 1000 / 4 + 2;
        var limbs = capacity <= StackLimbs ? stackalloc uint[StackLimbs] : new uint[capacity];
        var used = 0;
        for (var at = 0; at < rest.Length;)
        {
            var take = at == 0 && rest.Length % 5 != 0 ? rest.Length % 5 : 5;
            ulong carry = 0;
            ulong scale = 1;
            for (var k = 0; k < take; k++)
            {
                var c = rest[at + k];
                var value = c < 128 ? DecodeMap[c] : -1;
                if (value < 0) throw new FormatException($"'{c}' is not a base58btc character.");
                carry = carry * 58 + (ulong)value;
                scale *= 58;
            }
            at += take;
            for (var j = 0; j < used; j++)
            {
                carry += limbs[j] * scale;
                limbs[j] = (uint)carry;
                carry >>= 32;
            }
            while (carry > 0)
            {
                limbs[used++] = (uint)carry;
                carry >>= 32;
            }
        }
        var topBytes = 0;
        if (used > 0)
            for (var top = limbs[used - 1]; top > 0; top >>= 8) topBytes++;
        var result = new byte[zeros + (used == 0 ? 0 : topBytes + 4 * (used - 1))];
        var end = result.Length;
        for (var j = 0; j < used; j++)
        {
            var limb = limbs[j];
            var bytes = j == used - 1 ? topBytes : 4;
            for (var b = 0; b < bytes; b++)
            {
                result[--end] = (byte)limb;
                limb >>= 8;
            }
        }
        return result;
    }

    private static sbyte[] BuildDecodeMap()
    {
        var map = new sbyte[128];
        Array.Fill(map, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            map[Alphabet[i]] = (sbyte)i;
        }
        return map;
    }
}
