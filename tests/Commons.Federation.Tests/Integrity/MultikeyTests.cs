using System.Text;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Integrity;

public sealed class MultikeyTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Vector = TestVectors.ReadJsonObject("data-integrity", "fep-8b32.json");

    [Fact]
    public void Base58btc_matches_known_encodings()
    {
        Assert.Equal("2NEpo7TZRRrLZSi2U", Base58Btc.Encode(Encoding.ASCII.GetBytes("Hello World!")));
        Assert.Equal("Hello World!", Encoding.ASCII.GetString(Base58Btc.Decode("2NEpo7TZRRrLZSi2U")));
        Assert.Equal("", Base58Btc.Encode([]));
        Assert.Equal("111", Base58Btc.Encode([0, 0, 0]));
    }

    [Fact]
    public void Base58btc_round_trips_leading_zeros_and_random_bytes()
    {
        var random = new Random(8785);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 70)];
            random.NextBytes(bytes);
            if (bytes.Length > 2 && i % 3 == 0)
            {
                bytes[0] = 0;
                bytes[1] = 0;
            }
            Assert.Equal(bytes, Base58Btc.Decode(Base58Btc.Encode(bytes)));
        }
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc+")]
    public void Base58btc_rejects_characters_outside_the_alphabet(string text)
    {
        Assert.Throws<FormatException>(() => Base58Btc.Decode(text));
    }

    [Fact]
    public void Vector_key_pair_decodes_and_re_encodes()
    {
        var publicMultibase = (string)Vector["key"]!["publicKeyMultibase"]!;
        var privateMultibase = (string)Vector["key"]!["privateKeyMultibase"]!;

        var signingKey = Multikey.ToSigningKey(privateMultibase);

        Assert.Equal(publicMultibase, Multikey.Encode(signingKey.PublicKey));
        Assert.Equal(privateMultibase, Multikey.EncodeEd25519PrivateKey(signingKey.ExportSeed()));
        Assert.Equal(publicMultibase, Multikey.EncodeEd25519PublicKey(Multikey.DecodeEd25519PublicKey(publicMultibase)));
        Assert.Equal(publicMultibase, (string)Vector["actor"]!["assertionMethod"]![0]!["publicKeyMultibase"]!);
    }

    [Fact]
    public void Wrong_multicodec_prefix_is_rejected()
    {
        var privateMultibase = (string)Vector["key"]!["privateKeyMultibase"]!;
        var publicMultibase = (string)Vector["key"]!["publicKeyMultibase"]!;

        Assert.Throws<FormatException>(() => Multikey.DecodeEd25519PublicKey(privateMultibase));
        Assert.Throws<FormatException>(() => Multikey.DecodeEd25519PrivateKey(publicMultibase));
        Assert.Throws<FormatException>(() => Multikey.DecodeEd25519PublicKey("u" + publicMultibase[1..]));
    }

    [Fact]
    public void Multikey_public_key_verifies_signatures_of_its_private_key()
    {
        var signingKey = Multikey.ToSigningKey((string)Vector["key"]!["privateKeyMultibase"]!);
        var verificationKey = Multikey.ToVerificationKey((string)Vector["key"]!["publicKeyMultibase"]!);
        var data = Encoding.ASCII.GetBytes("data");

        Assert.True(verificationKey.Verify(HttpSignatureAlgorithm.Ed25519, data, signingKey.Sign(HttpSignatureAlgorithm.Ed25519, data)));
    }
}
