using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Integrity;

/// <summary>Multibase text from peers is bounded before it is decoded (base58 decoding is quadratic in the length).</summary>
public sealed class MultibaseTests
{
    [Fact]
    public void A_signature_and_a_key_of_the_longest_accepted_length_still_decode()
    {
        var signature = Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray();
        Assert.Equal(signature, Multibase.DecodeBase58Btc(Multibase.EncodeBase58Btc(signature)));
        var longest = Multibase.EncodeBase58Btc(Enumerable.Repeat((byte)0xff, 186).ToArray());
        Assert.True(longest.Length <= Multibase.MaxBase58BtcLength, $"{longest.Length}");
        Assert.Equal(186, Multibase.DecodeBase58Btc(longest).Length);
    }

    [Theory]
    [InlineData(Multibase.MaxBase58BtcLength + 1)]
    [InlineData(1_000_000)]
    public void A_longer_text_is_refused_as_malformed_before_decoding(int length)
    {
        var text = "z" + new string('2', length - 1);
        var e = Assert.Throws<FormatException>(() => Multibase.DecodeBase58Btc(text));
        Assert.Contains("longer than", e.Message);
    }
}
