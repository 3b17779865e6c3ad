using System.Security.Cryptography;
using System.Text;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Signatures;

public sealed class PemKeyImporterTests
{
    private static readonly byte[] Data = Encoding.ASCII.GetBytes("signature base");

    [Theory]
    [InlineData("test-key-rsa.pem", KeyType.Rsa, HttpSignatureAlgorithm.RsaPkcs1Sha256)]       // PKCS#1 public + RSA PRIVATE KEY
    [InlineData("test-key-rsa-pss.pem", KeyType.Rsa, HttpSignatureAlgorithm.RsaPssSha512)]     // SPKI + PKCS#8 id-RSASSA-PSS
    [InlineData("test-key-ecc-p256.pem", KeyType.EcdsaP256, HttpSignatureAlgorithm.EcdsaP256Sha256)] // SPKI + EC PRIVATE KEY
    [InlineData("test-key-ed25519.pem", KeyType.Ed25519, HttpSignatureAlgorithm.Ed25519)]      // SPKI + PKCS#8
    public void Vector_key_files_import_and_their_halves_match(string file, KeyType keyType, HttpSignatureAlgorithm algorithm)
    {
        var pem = TestVectors.ReadText("rfc9421", file);

        var signing = PemKeyImporter.ImportSigningKey(pem);
        var verification = PemKeyImporter.ImportVerificationKey(pem);
        var signature = signing.Sign(algorithm, Data);

        Assert.Equal(keyType, signing.KeyType);
        Assert.Equal(keyType, verification.KeyType);
        Assert.Equal(algorithm, signing.DefaultAlgorithm);
        Assert.True(verification.Verify(algorithm, Data, signature));
        Assert.True(signing.VerificationKey.Verify(algorithm, Data, signature));
        Assert.False(verification.Verify(algorithm, Encoding.ASCII.GetBytes("other base"), signature));
    }

    [Fact]
    public void Pkcs8_rsa_and_ec_private_keys_import()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var rsaKey = PemKeyImporter.ImportSigningKey(rsa.ExportPkcs8PrivateKeyPem());
        var ecKey = PemKeyImporter.ImportSigningKey(ec.ExportPkcs8PrivateKeyPem());
        var rsaPublic = PemKeyImporter.ImportVerificationKey(rsa.ExportSubjectPublicKeyInfoPem());

        Assert.True(rsaPublic.Verify(HttpSignatureAlgorithm.RsaPkcs1Sha256, Data, rsaKey.Sign(HttpSignatureAlgorithm.RsaPkcs1Sha256, Data)));
        Assert.True(ecKey.VerificationKey.Verify(HttpSignatureAlgorithm.EcdsaP256Sha256, Data, ecKey.Sign(HttpSignatureAlgorithm.EcdsaP256Sha256, Data)));
    }

    [Fact]
    public void Public_only_text_cannot_give_a_signing_key()
    {
        Assert.Throws<FormatException>(() => PemKeyImporter.ImportSigningKey(TestVectors.ReadText("cavage12", "test-key-public.pem")));
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----")]
    public void Garbage_is_rejected(string pem)
    {
        Assert.ThrowsAny<Exception>(() => PemKeyImporter.ImportVerificationKey(pem));
    }

    [Fact]
    public void Other_curves_are_rejected()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => PemKeyImporter.ImportVerificationKey(p384.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void Key_refuses_algorithms_of_another_type()
    {
        var key = PemKeyImporter.ImportVerificationKey(TestVectors.ReadText("rfc9421", "test-key-ed25519.pem"));

        Assert.False(key.Supports(HttpSignatureAlgorithm.RsaPkcs1Sha256));
        Assert.Throws<NotSupportedException>(() => key.Verify(HttpSignatureAlgorithm.RsaPkcs1Sha256, Data, new byte[64]));
    }

    [Fact]
    public void Short_hmac_secrets_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new HmacSha256Key(new byte[8]));
    }
}
