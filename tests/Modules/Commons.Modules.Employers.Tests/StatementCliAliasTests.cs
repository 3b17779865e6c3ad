using System.Security.Cryptography;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Tests.Support;
using Commons.Node.Cli;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// <c>commons-node statement verify FILE [--key PEM]</c>, the node-level alias, run through the node's own command line
/// with no store and no running node: one line per result, the code at its end, exit 0 only when valid.
/// </summary>
public sealed class StatementCliAliasTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public StatementCliAliasTests()
    {
        Directory.CreateDirectory(_folder);
        _node.EnterHours("anne", B, "2026-01", "50");
        _node.Group.CloseMonth(Admin, "2026-01");
    }

    public void Dispose()
    {
        _node.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Line) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.Run(["--data-dir", Path.Combine(Path.GetTempPath(), "commons-tests", "no-store-here"), .. args], stdout, stderr);
        Assert.Equal("", stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (exit, Assert.Single(lines).Trim());
    }

    [Fact]
    public void The_node_level_command_checks_a_statement_with_its_own_key_or_a_pinned_one()
    {
        var xml = _node.Group.MemberStatement(Admin, "2026-01", "b.example");
        var file = Write("b.xml", xml);
        var groupKey = Write("group.pem", _node.SigningKey.RsaPublicPem);
        using var other = RSA.Create(2048);
        var otherKey = Write("other.pem", other.ExportSubjectPublicKeyInfoPem());

        var (exit, line) = Run("statement", "verify", file);
        Assert.Equal(0, exit);
        Assert.StartsWith("valid: member statement of 2026-01 for Groupement Solidaire", line);
        Assert.EndsWith("[statement_valid]", line);

        (exit, line) = Run("statement", "verify", file, "--key", groupKey);
        Assert.Equal((0, true), (exit, line.EndsWith(", the pinned key [statement_valid]", StringComparison.Ordinal)));

        (exit, line) = Run("statement", "verify", file, "--key", otherKey);
        Assert.Equal((1, true), (exit, line.EndsWith($"[{StatementSignature.ForeignKey}]", StringComparison.Ordinal)));

        (exit, line) = Run("statement", "verify", Write("changed.xml", xml.Replace("<total>", "<total>9")));
        Assert.Equal((1, true), (exit, line.EndsWith($"[{StatementSignature.Invalid}]", StringComparison.Ordinal)));

        (exit, line) = Run("statement", "verify", Path.Combine(_folder, "absent.xml"));
        Assert.Equal((1, true), (exit, line.EndsWith($"[{StatementSignature.Malformed}]", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "commons-tests", "no-store-here")));
    }
}
