using System.Xml;

namespace Commons.Platform.Statements;

/// <summary>
/// One kind of signed statement a module issues: the namespace of its root <c>statement</c> element, a short name
/// (<c>employers</c>, <c>credit</c>) and how a checked one is described in one line. The verifier accepts only the
/// forms it is given, so a signed XML file of any other shape is refused as not a statement.
/// </summary>
public sealed record StatementForm(string Namespace, string Name, Func<XmlElement, string> Describe);

/// <summary>What a verification found: valid, or why not (a stable code); the signing key's SHA-256 fingerprint; the statement's form once recognised.</summary>
public sealed record StatementVerdict(bool Valid, string Code, string Detail, string? KeyFingerprint, StatementForm? Form = null);
