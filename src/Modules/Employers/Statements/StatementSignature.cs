using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Commons.Modules.Employers.Statements;

/// <summary>What a verification found: valid, or why not (a stable code), and the signing key's SHA-256 fingerprint to compare with the group node's.</summary>
public sealed record StatementCheck(bool Valid, string Code, string Detail, string? KeyFingerprint);

/// <summary>
/// XMLDSig over a whole statement: an enveloped signature (Reference URI ""), exclusive C14N, SHA-256 digest,
/// RSA-SHA256, the RSA public key in KeyInfo. The verifier accepts exactly that shape and nothing looser (no other
/// reference, transform or algorithm), so a changed byte of the signed content, of the key or of the signature value
/// fails it, as it fails <c>xmlsec1 --verify</c>.
/// </summary>
public static class StatementSignature
{
    public const string Valid = "statement_valid";
    public const string Malformed = "statement_malformed";
    public const string Unsigned = "statement_unsigned";
    public const string ShapeRefused = "signature_shape_refused";
    public const string Invalid = "signature_invalid";
    public const string ForeignKey = "statement_foreign_key";

    public static string Sign(XmlDocument statement, RSA key)
    {
        var signed = new SignedXml(statement) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var info = new KeyInfo();
        info.AddClause(new RSAKeyValue(key));
        signed.KeyInfo = info;
        signed.ComputeSignature();
        statement.DocumentElement!.AppendChild(statement.ImportNode(signed.GetXml(), true));
        using var bytes = new MemoryStream();
        using (var writer = XmlWriter.Create(bytes, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            statement.Save(writer);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// Checks the signature with <paramref name="trustedKeys"/> (the RSA keys the group node publishes on its actor), not
    /// with the key the file carries: valid only when one of them signed it, so it proves origin as well as integrity.
    /// A statement whole under its own KeyInfo key but signed by no trusted key is <see cref="ForeignKey"/>.
    /// </summary>
    public static StatementCheck VerifyFrom(string xml, IReadOnlyList<string> trustedKeys)
    {
        var keys = new List<RSA>();
        try
        {
            foreach (var pem in trustedKeys)
            {
                var rsa = RSA.Create();
                keys.Add(rsa);
                try { rsa.ImportFromPem(pem); }
                catch (ArgumentException) { keys.Remove(rsa); rsa.Dispose(); }
            }
            return Verify(xml, keys);
        }
        finally
        {
            foreach (var k in keys) k.Dispose();
        }
    }

    public static StatementCheck Verify(string xml) => Verify(xml, null);

    private static StatementCheck Verify(string xml, IReadOnlyList<RSA>? trusted)
    {
        XmlDocument doc;
        try { doc = Load(xml); }
        catch (XmlException e) { return new(false, Malformed, e.Message, null); }
        if (doc.DocumentElement is not { LocalName: "statement", NamespaceURI: StatementXml.Namespace } root)
            return new(false, Malformed, "the document is not a statement of the employers' group", null);
        var signatures = doc.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count == 0) return new(false, Unsigned, "the statement carries no signature", null);
        if (signatures.Count > 1 || signatures[0]!.ParentNode != root) return new(false, ShapeRefused, "one enveloped signature, child of the statement, is expected", null);

        var signed = new SignedXml(doc);
        try { signed.LoadXml((XmlElement)signatures[0]!); }
        catch (CryptographicException e) { return new(false, Malformed, e.Message, null); }
        if (ShapeProblem(signed) is { } problem) return new(false, ShapeRefused, problem, null);
        var keyValue = signed.KeyInfo.OfType<RSAKeyValue>().SingleOrDefault();
        if (keyValue is null) return new(false, ShapeRefused, "KeyInfo holds no RSA public key", null);
        var fingerprint = Fingerprint(keyValue.Key);
        bool ok;
        try
        {
            if (trusted is not null && trusted.FirstOrDefault(k => signed.CheckSignature(k)) is { } signer) (ok, fingerprint) = (true, Fingerprint(signer));
            else if (trusted is not null)
                return signed.CheckSignature(keyValue.Key)
                    ? new(false, ForeignKey, "the statement is whole, but signed with a key the group node does not publish", fingerprint)
                    : new(false, Invalid, "the signature does not match the statement's content", fingerprint);
            else ok = signed.CheckSignature(keyValue.Key);
        }
        catch (CryptographicException e) { return new(false, Invalid, e.Message, fingerprint); }
        return ok
            ? new(true, Valid, $"{root.GetAttribute("kind")} statement of {root.GetAttribute("month")} for {root.GetAttribute("group")}", fingerprint)
            : new(false, Invalid, "the signature does not match the statement's content", fingerprint);
    }

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo, hex: what the group node's published key hashes to.</summary>
    public static string Fingerprint(RSA key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    private static string? ShapeProblem(SignedXml signed)
    {
        var info = signed.SignedInfo!;
        if (info.SignatureMethod != SignedXml.XmlDsigRSASHA256Url) return $"signature method {info.SignatureMethod} is not RSA-SHA256";
        if (info.CanonicalizationMethod != SignedXml.XmlDsigExcC14NTransformUrl) return "canonicalization is not exclusive C14N";
        if (info.References.Count != 1 || info.References[0] is not Reference { Uri: "" } reference) return "one reference to the whole statement is expected";
        if (reference.DigestMethod != SignedXml.XmlDsigSHA256Url) return "the digest is not SHA-256";
        var chain = reference.TransformChain;
        var transforms = Enumerable.Range(0, chain.Count).Select(i => chain[i].Algorithm).ToList();
        if (transforms is not [SignedXml.XmlDsigEnvelopedSignatureTransformUrl, SignedXml.XmlDsigExcC14NTransformUrl])
            return "the transforms are not enveloped signature then exclusive C14N";
        return null;
    }

    private static XmlDocument Load(string xml)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        doc.Load(reader);
        return doc;
    }
}
