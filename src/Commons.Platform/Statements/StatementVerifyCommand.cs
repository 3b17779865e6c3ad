using System.CommandLine;

namespace Commons.Platform.Statements;

/// <summary>
/// <c>verify FILE [--key PEM]</c>: one line, valid or invalid, ending with the check's code. Without <c>--key</c> it
/// proves the statement whole under the key it carries (and prints that key's fingerprint to compare); with the
/// issuing node's published RSA key pinned it proves origin too (<c>statement_foreign_key</c> when another key signed).
/// A valid line names the statement's kind, as its form describes it. Needs no store and no running node.
/// </summary>
public static class StatementVerifyCommand
{
    /// <param name="output">Where the line goes, asked when the command runs.</param>
    /// <param name="resolve">A path as the person typed it, made absolute from where they typed it.</param>
    /// <param name="forms">The statements the command accepts.</param>
    public static Command Build(Func<TextWriter> output, Func<string, string> resolve, IReadOnlyList<StatementForm> forms)
    {
        var file = new Argument<string>("file") { Description = "The statement's XML file." };
        var key = new Option<string?>("--key") { Description = "A PEM file with the issuing node's RSA public key (as its actor publishes it): the statement must be signed with it." };
        var verify = new Command("verify", "Check a statement's XMLDSig signature: one line, valid or invalid, with its code.") { file, key };
        verify.SetAction(parse =>
        {
            var write = output();
            var path = resolve(parse.GetValue(file)!);
            if (!File.Exists(path)) { write.WriteLine($"invalid: no file {path} [{XmlStatementSignature.Malformed}]"); return 1; }
            var pinned = parse.GetValue(key) is { } k ? resolve(k) : null;
            if (pinned is not null && !File.Exists(pinned)) { write.WriteLine($"invalid: no key file {pinned} [{XmlStatementSignature.Malformed}]"); return 1; }
            var xml = File.ReadAllText(path);
            var check = pinned is null ? XmlStatementSignature.Verify(xml, forms) : XmlStatementSignature.VerifyFrom(xml, [File.ReadAllText(pinned)], forms);
            var fingerprint = check.KeyFingerprint is { } fp ? $", key sha256:{fp}" : "";
            write.WriteLine($"{(check.Valid ? "valid" : "invalid")}: {check.Detail}{fingerprint}{(pinned is null || !check.Valid ? "" : ", the pinned key")} [{check.Code}]");
            return check.Valid ? 0 : 1;
        });
        return verify;
    }
}
