using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Commons.Platform.Statements;

/// <summary>
/// XMLDSig over a whole statement, shared by every module that issues one: an enveloped signature (Reference URI ""),
/// exclusive C14N, SHA-256 digest, RSA-SHA256, the RSA public key in KeyInfo. The verifier accepts exactly that shape
/// and nothing looser (no other reference, transform or algorithm), so a changed byte of the signed content, of the
/// key or of the signature value fails it, as it fails <c>xmlsec1 --verify</c>. It lives in Platform, not Core,
/// because System.Security.Cryptography.Xml comes with the ASP.NET Core shared framework, which Core stays free of.
/// </summary>
public static class XmlStatementSignature
{
    public const string Valid = "statement_valid";
    public const string Malformed = "statement_malformed";
    public const string Unsigned = "statement_unsigned";
    public const string ShapeRefused = "signature_shape_refused";
    public const string Invalid = "signature_invalid";
    public const string ForeignKey = "statement_foreign_key";

    /// <summary>Signs <paramref name="statement"/> in place and returns it as UTF-8 text, unindented (whitespace is signed content).</summary>
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

    /// <summary>Whole under the key the file carries in KeyInfo: proves integrity, and names that key by its fingerprint to compare.</summary>
    public static StatementVerdict Verify(string xml, IReadOnlyList<StatementForm> forms) => Check(xml, forms, null);

    /// <summary>
    /// Checks the signature with <paramref name="trustedKeys"/> (the RSA keys the issuing node publishes on its actor),
    /// not with the key the file carries: valid only when one of them signed it, so it proves origin as well as
    /// integrity. A statement whole under its own KeyInfo key but signed by no trusted key is <see cref="ForeignKey"/>.
    /// </summary>
    public static StatementVerdict VerifyFrom(string xml, IReadOnlyList<string> trustedKeys, IReadOnlyList<StatementForm> forms)
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
            return Check(xml, forms, keys);
        }
        finally
        {
            foreach (var k in keys) k.Dispose();
        }
    }

    /// <summary>The statement's form by its root element, or null when the text is not XML or not one of <paramref name="forms"/>; the signature is not checked.</summary>
    public static StatementForm? FormOf(string xml, IReadOnlyList<StatementForm> forms)
    {
        try { return Load(xml).DocumentElement is { LocalName: "statement" } root ? forms.FirstOrDefault(f => f.Namespace == root.NamespaceURI) : null; }
        catch (XmlException) { return null; }
    }

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo, hex: what the issuing node's published key hashes to.</summary>
    public static string Fingerprint(RSA key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>Reads statement XML with no DTD and no external resolution, whitespace kept as signed.</summary>
    public static XmlDocument Load(string xml)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        doc.Load(reader);
        return doc;
    }

    private static StatementVerdict Check(string xml, IReadOnlyList<StatementForm> forms, IReadOnlyList<RSA>? trusted)
    {
        XmlDocument doc;
        try { doc = Load(xml); }
        catch (XmlException e) { return new(false, Malformed, e.Message, null); }
        var root = doc.DocumentElement;
        var form = root is { LocalName: "statement" } ? forms.FirstOrDefault(f => f.Namespace == root.NamespaceURI) : null;
        if (root is null || form is null)
            return new(false, Malformed, $"the document is not a statement of {string.Join(" or ", forms.Select(f => f.Name))}", null);
        var signatures = doc.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count == 0) return new(false, Unsigned, "the statement carries no signature", null, form);
        if (signatures.Count > 1 || signatures[0]!.ParentNode != root) return new(false, ShapeRefused, "one enveloped signature, child of the statement, is expected", null, form);

        var signed = new SignedXml(doc);
        try { signed.LoadXml((XmlElement)signatures[0]!); }
        catch (CryptographicException e) { return new(false, Malformed, e.Message, null, form); }
        if (ShapeProblem(signed) is { } problem) return new(false, ShapeRefused, problem, null, form);
        var keyValue = signed.KeyInfo.OfType<RSAKeyValue>().SingleOrDefault();
        if (keyValue is null) return new(false, ShapeRefused, "KeyInfo holds no RSA public key", null, form);
        var fingerprint = Fingerprint(keyValue.Key);
        bool ok;
        try
        {
            if (trusted is not null && trusted.FirstOrDefault(k => signed.CheckSignature(k)) is { } signer) (ok, fingerprint) = (true, Fingerprint(signer));
            else if (trusted is not null)
                return signed.CheckSignature(keyValue.Key)
                    ? new(false, ForeignKey, "the statement is whole, but signed with a key its issuing node does not publish", fingerprint, form)
                    : new(false, Invalid, "the signature does not match the statement's content", fingerprint, form);
            else ok = signed.CheckSignature(keyValue.Key);
        }
        catch (CryptographicException e) { return new(false, Invalid, e.Message, fingerprint, form); }
        return ok
            ? new(true, Valid, form.Describe(root), fingerprint, form)
            : new(false, Invalid, "the signature does not match the statement's content", fingerprint, form);
    }

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
}
