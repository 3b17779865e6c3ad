using System.Security.Cryptography;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Statements;
using Commons.Node.Cli;
using Commons.Platform.Statements;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// <c>commons-node statement verify FILE [--key PEM]</c> on a mutual credit month statement: the node-level alias
/// checks it as it checks the employers' group's statements, says which kind it is, and needs no store.
/// </summary>
public sealed class StatementVerifyCliTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public StatementVerifyCliTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (int Exit, string Line) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.Run(["--data-dir", Path.Combine(_folder, "no-store-here"), .. args], stdout, stderr);
        Assert.Equal("", stderr.ToString());
        return (exit, Assert.Single(stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
    }

    private static string CreditStatement(RSA key)
    {
        var t = new CreditTransaction
        {
            Id = "tx-1", Payer = "https://a.example/actor", Payee = "https://b.example/actor", Amount = "12.50", Unit = "ŧ", Memo = "bread",
            Nonce = "n-1", Time = "2026-03-20T09:00:00.000Z", State = TransactionStates.Completed,
        };
        var statement = new Statement("ledger", "https://a.example/actor", "ŧ", 2, new StatementMonth(2026, 3), 0m, -12.50m,
            [new StatementLine(t, DateTimeOffset.Parse(t.Time, System.Globalization.CultureInfo.InvariantCulture), -12.50m, -12.50m, t.Payee)]);
        var content = new CreditStatementContent(statement, "sel", "https://a.example/datasets/ledger", new Dictionary<string, string> { ["en"] = "Zinne" },
            1.00m, new Dictionary<string, (string, string)> { ["tx-1"] = ("verified", "verified") }, DateTimeOffset.UnixEpoch);
        return XmlStatementSignature.Sign(CreditStatementXml.Month(content), key);
    }

    [Fact]
    public void The_node_level_command_checks_a_credit_statement_names_its_kind_and_refuses_a_changed_one()
    {
        using var node = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var xml = CreditStatement(node);
        var file = Write("credit.xml", xml);

        var (exit, line) = Run("statement", "verify", file);
        Assert.Equal(0, exit);
        Assert.StartsWith("valid: mutual credit month statement of 2026-03 for https://a.example/actor in ŧ, key sha256:", line);
        Assert.EndsWith("[statement_valid]", line);

        (exit, line) = Run("statement", "verify", file, "--key", Write("node.pem", node.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal((0, true), (exit, line.EndsWith(", the pinned key [statement_valid]", StringComparison.Ordinal)));
        (exit, line) = Run("statement", "verify", file, "--key", Write("other.pem", other.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal((1, true), (exit, line.EndsWith("[statement_foreign_key]", StringComparison.Ordinal)));
        (exit, line) = Run("statement", "verify", Write("changed.xml", xml.Replace("amount=\"-12.50\"", "amount=\"-2.50\"", StringComparison.Ordinal)));
        Assert.Equal((1, true), (exit, line.EndsWith("[signature_invalid]", StringComparison.Ordinal)));
        (exit, line) = Run("statement", "verify", Write("other-kind.xml", "<statement xmlns=\"urn:example:other\"/>"));
        Assert.Equal((1, "invalid: the document is not a statement of the employers' group or mutual credit [statement_malformed]"), (exit, line));
        Assert.False(Directory.Exists(Path.Combine(_folder, "no-store-here")));
    }
}
