using System.Formats.Asn1;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Commons.Federation.Signatures.Keys;

/// <summary>
/// Imports keys from PEM text. Public: SPKI "PUBLIC KEY" (RSA, RSA-PSS, EC P-256, Ed25519) and
/// PKCS#1 "RSA PUBLIC KEY". Private: PKCS#8 "PRIVATE KEY" (same algorithms), PKCS#1 "RSA PRIVATE KEY",
/// SEC1 "EC PRIVATE KEY". Text may hold several blocks; the first suitable one is used.
/// </summary>
public static class PemKeyImporter
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>Imports the first public key block, or derives the public key from the first private key block.</summary>
    public static VerificationKey ImportVerificationKey(string pem)
    {
        var blocks = ReadBlocks(pem);
        foreach (var (label, der) in blocks)
        {
            switch (label)
            {
                case "PUBLIC KEY":
                    return ImportSubjectPublicKeyInfo(der);
                case "RSA PUBLIC KEY":
                    var rsa = RSA.Create();
                    rsa.ImportRSAPublicKey(der, out _);
                    return new RsaVerificationKey(rsa);
            }
        }
        return ImportSigningKey(pem).VerificationKey;
    }

    /// <summary>Imports the first private key block.</summary>
    public static SigningKey ImportSigningKey(string pem)
    {
        foreach (var (label, der) in ReadBlocks(pem))
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    return ImportPkcs8(der);
                case "RSA PRIVATE KEY":
                    var rsa = RSA.Create();
                    rsa.ImportRSAPrivateKey(der, out _);
                    return new RsaSigningKey(rsa);
                case "EC PRIVATE KEY":
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportECPrivateKey(der, out _);
                    return new EcdsaP256SigningKey(ecdsa);
            }
        }
        throw new FormatException("No supported private key block found in PEM text.");
    }

    private static VerificationKey ImportSubjectPublicKeyInfo(byte[] der)
    {
        var (oid, keyBytes) = ReadSubjectPublicKeyInfo(der);
        switch (oid)
        {
            case RsaEncryptionOid:
                var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(der, out _);
                return new RsaVerificationKey(rsa);
            case RsaPssOid:
                var pss = RSA.Create();
                pss.ImportRSAPublicKey(keyBytes, out _);
                return new RsaVerificationKey(pss, HttpSignatureAlgorithm.RsaPssSha512);
            case EcPublicKeyOid:
                var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(der, out _);
                return new EcdsaP256VerificationKey(ecdsa);
            case Ed25519Oid:
                return new Ed25519VerificationKey(NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, der, KeyBlobFormat.PkixPublicKey));
            default:
                throw new NotSupportedException($"Unsupported public key algorithm {oid}.");
        }
    }

    private static SigningKey ImportPkcs8(byte[] der)
    {
        var (oid, privateKey) = ReadPkcs8(der);
        switch (oid)
        {
            case RsaEncryptionOid:
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return new RsaSigningKey(rsa);
            case RsaPssOid:
                // The BCL's PKCS#8 import only knows rsaEncryption; the inner key is plain PKCS#1.
                var pss = RSA.Create();
                pss.ImportRSAPrivateKey(privateKey, out _);
                return new RsaSigningKey(pss, HttpSignatureAlgorithm.RsaPssSha512);
            case EcPublicKeyOid:
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(der, out _);
                return new EcdsaP256SigningKey(ecdsa);
            case Ed25519Oid:
                return new Ed25519SigningKey(Key.Import(SignatureAlgorithm.Ed25519, der, KeyBlobFormat.PkixPrivateKey, Ed25519SigningKey.Exportable()));
            default:
                throw new NotSupportedException($"Unsupported private key algorithm {oid}.");
        }
    }

    private static List<(string Label, byte[] Der)> ReadBlocks(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var blocks = new List<(string, byte[])>();
        var remaining = pem.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var span = remaining.Span;
            var label = span[fields.Label].ToString();
            var der = Convert.FromBase64String(span[fields.Base64Data].ToString());
            blocks.Add((label, der));
            remaining = remaining[fields.Location.End..];
        }
        if (blocks.Count == 0)
        {
            throw new FormatException("No PEM block found.");
        }
        return blocks;
    }

    private static (string Oid, byte[] Key) ReadSubjectPublicKeyInfo(byte[] der)
    {
        var spki = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var algorithm = spki.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var key = spki.ReadBitString(out _);
        return (oid, key);
    }

    private static (string Oid, byte[] PrivateKey) ReadPkcs8(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger(); // version
        var algorithm = info.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var privateKey = info.ReadOctetString();
        return (oid, privateKey);
    }
}
