using System.Security.Cryptography;
using System.Xml;
using Commons.Platform.Statements;

namespace Commons.Modules.Employers.Statements;

/// <summary>What a verification found: valid, or why not (a stable code), and the signing key's SHA-256 fingerprint to compare with the group node's.</summary>
public sealed record StatementCheck(bool Valid, string Code, string Detail, string? KeyFingerprint);

/// <summary>
/// The employers' group's statements signed and checked with the platform's shared XMLDSig
/// (<see cref="XmlStatementSignature"/>: enveloped, exclusive C14N, SHA-256, RSA-SHA256), accepting only the employers'
/// statement form.
/// </summary>
public static class StatementSignature
{
    public const string Valid = XmlStatementSignature.Valid;
    public const string Malformed = XmlStatementSignature.Malformed;
    public const string Unsigned = XmlStatementSignature.Unsigned;
    public const string ShapeRefused = XmlStatementSignature.ShapeRefused;
    public const string Invalid = XmlStatementSignature.Invalid;
    public const string ForeignKey = XmlStatementSignature.ForeignKey;

    public static string Sign(XmlDocument statement, RSA key) => XmlStatementSignature.Sign(statement, key);

    /// <summary>
    /// Checks the signature with <paramref name="trustedKeys"/> (the RSA keys the group node publishes on its actor), not
    /// with the key the file carries: valid only when one of them signed it, so it proves origin as well as integrity.
    /// </summary>
    public static StatementCheck VerifyFrom(string xml, IReadOnlyList<string> trustedKeys) =>
        Of(XmlStatementSignature.VerifyFrom(xml, trustedKeys, [StatementXml.Form]));

    public static StatementCheck Verify(string xml) => Of(XmlStatementSignature.Verify(xml, [StatementXml.Form]));

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo, hex: what the group node's published key hashes to.</summary>
    public static string Fingerprint(RSA key) => XmlStatementSignature.Fingerprint(key);

    private static StatementCheck Of(StatementVerdict v) => new(v.Valid, v.Code, v.Detail, v.KeyFingerprint);
}
