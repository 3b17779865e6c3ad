using System.Numerics;
using System.Text;
using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Integrity;

/// <summary>
/// <see cref="Base58Btc"/> carries the number in wide limbs (several input bytes or digits a step, a shorter first step):
/// checked against the definition — the bytes as one big-endian number written in base 58, a '1' per leading zero byte —
/// at every length around the limb and step boundaries, where a carry or a first step cut wrong shows.
/// </summary>
public sealed class Base58BtcTests
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    [Fact]
    public void Every_length_up_to_130_bytes_encodes_and_decodes_as_the_definition_says()
    {
        var random = new Random(58);
        for (var length = 0; length <= 130; length++)
        {
            for (var round = 0; round < 12; round++)
            {
                var bytes = new byte[length];
                random.NextBytes(bytes);
                // Leading zeros, all-0xff runs (the largest carries) and single set bits at the step edges.
                if (round % 4 == 1) bytes.AsSpan(0, random.Next(length + 1)).Clear();
                if (round % 4 == 2) bytes.AsSpan().Fill(0xff);
                if (round % 4 == 3 && length > 0) { bytes.AsSpan().Clear(); bytes[random.Next(length)] = (byte)(1 << random.Next(8)); }
                var expected = ByDefinition(bytes);
                Assert.Equal(expected, Base58Btc.Encode(bytes));
                Assert.Equal(bytes, Base58Btc.Decode(expected));
            }
        }
    }

    [Fact]
    public void Digit_strings_of_every_length_decode_as_the_definition_says()
    {
        var random = new Random(85);
        for (var length = 1; length <= 120; length++)
        {
            var text = new StringBuilder();
            for (var i = 0; i < length; i++) text.Append(Alphabet[i == 0 ? random.Next(1, 58) : random.Next(58)]);
            var digits = text.ToString();
            var value = digits.Aggregate(BigInteger.Zero, (n, c) => n * 58 + Alphabet.IndexOf(c));
            Assert.Equal(value.ToByteArray(isUnsigned: true, isBigEndian: true), Base58Btc.Decode(digits));
            Assert.Equal(digits, Base58Btc.Encode(Base58Btc.Decode(digits)));
        }
    }

    private static string ByDefinition(byte[] bytes)
    {
        var zeros = bytes.TakeWhile(b => b == 0).Count();
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var digits = new StringBuilder();
        while (value > 0)
        {
            digits.Insert(0, Alphabet[(int)(value % 58)]);
            value /= 58;
        }
        return new string('1', zeros) + digits;
    }
}
