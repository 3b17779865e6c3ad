using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Commons.Core.Errors;

namespace Commons.Core.Records;

public static partial class RecordIds
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();

    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string Check(string? id, string field = "id")
    {
        if (id is null || !Pattern().IsMatch(id))
            throw ValidationException.For(field, "a record id is 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        return id;
    }

    /// <summary>A ULID-shaped id (48-bit milliseconds then 80 random bits, Crockford base32, lower case): sorts by creation time.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(ms >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[26];
        // 128 bits into 26 base32 digits, most significant first (the first digit holds the top 3 bits).
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = new UInt128(hi, lo);
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(ulong)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
