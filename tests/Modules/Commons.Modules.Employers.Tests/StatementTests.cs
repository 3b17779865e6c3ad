using System.CommandLine;
using System.Text.RegularExpressions;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// A closed month's statements, signed with the node's own key (the real keyring): the module's verifier, the CLI and
/// Debian's xmlsec1 all accept them, and all refuse them after one amount, one name or the signature value changed.
/// </summary>
public sealed class StatementTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();
    private readonly StringWriter _out = new();

    public StatementTests()
    {
        _node.EnterHours("anne", A, "2026-01", "80"); _node.EnterHours("anne", B, "2026-01", "50"); _node.EnterHours("anne", C, "2026-01", "30");
        _node.EnterHours("bram", B, "2026-01", "40"); _node.EnterHours("bram", C, "2026-01", "42.5");
        _node.Group.CloseMonth(Admin, "2026-01");
    }

    public void Dispose() => _node.Dispose();

    private string StatementOfB() => _node.Group.MemberStatement(Admin, "2026-01", "b.example");

    private (int Exit, string Line) Cli(string xml)
    {
        var file = Path.Combine(Path.GetTempPath(), "commons-tests", $"{Guid.NewGuid():N}.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, xml);
        try
        {
            _out.GetStringBuilder().Clear();
            var services = new ServiceCollection().AddSingleton(_node.Group).BuildServiceProvider();
            var command = new EmployersModule().BuildCommand(() => new ModuleCommandContext(services, _out, Admin))!;
            var exit = command.Parse(["statement", "verify", file]).Invoke(new InvocationConfiguration { Output = _out, Error = new StringWriter() });
            return (exit, _out.ToString().Trim());
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void A_members_statement_holds_its_share_of_each_worker_and_verifies_with_the_cli_and_with_xmlsec1()
    {
        var xml = StatementOfB();
        Assert.Contains("amount=\"1015.75\"", xml);
        Assert.Contains("amount=\"824.24\"", xml);
        Assert.Contains("<total>1839.99</total>", xml);
        Assert.DoesNotContain("https://a.example/actor", xml);

        var (exit, line) = Cli(xml);
        Assert.Equal(0, exit);
        Assert.StartsWith("valid: member statement of 2026-01 for Groupement Solidaire", line);
        using (var rsa = _node.SigningKey.OpenRsa()) Assert.Contains($"key sha256:{StatementSignature.Fingerprint(rsa)}", line);
        Assert.EndsWith("[statement_valid]", line);
        Assert.Single(line.Split('\n'));

        var (code, output) = Xmlsec1.Verify(xml, _node.SigningKey.RsaPublicPem);
        Assert.True(code == 0, output);
        Assert.Contains("OK", output);
    }

    [Fact]
    public void The_groups_summary_verifies_with_both()
    {
        var xml = _node.Group.SummaryStatement(Admin, "2026-01");
        Assert.Contains("<total>4950.40</total>", xml);
        Assert.True(StatementSignature.Verify(xml).Valid);
        var (code, output) = Xmlsec1.Verify(xml, _node.SigningKey.RsaPublicPem);
        Assert.True(code == 0, output);
    }

    public static TheoryData<string, string, string> Changes => new()
    {
        { "one amount", "amount=\"1015.75\"", "amount=\"1015.76\"" },
        { "one name", "Anne Dupont", "Anne Dupond" },
        { "the total", "<total>1839.99</total>", "<total>1839.98</total>" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void After_a_change_of_the_signed_content_both_refuse_it(string what, string from, string to)
    {
        var xml = StatementOfB();
        Assert.Contains(from, xml);
        var changed = xml.Replace(from, to, StringComparison.Ordinal);

        var (exit, line) = Cli(changed);
        Assert.True(exit == 1, what);
        Assert.Matches(@"^invalid: .*\[signature_invalid\]$", line);
        Assert.NotEqual(0, Xmlsec1.Verify(changed, _node.SigningKey.RsaPublicPem).ExitCode);
    }

    [Fact]
    public void After_a_change_of_the_signature_value_both_refuse_it()
    {
        var xml = StatementOfB();
        var value = Regex.Match(xml, "<SignatureValue>([^<]+)</SignatureValue>").Groups[1];
        var flipped = (value.Value[10] == 'A' ? 'B' : 'A') + "";
        var changed = xml[..(value.Index + 10)] + flipped + xml[(value.Index + 11)..];

        Assert.Equal((1, true), (Cli(changed).Exit, Cli(changed).Line.EndsWith("[signature_invalid]", StringComparison.Ordinal)));
        Assert.NotEqual(0, Xmlsec1.Verify(changed, _node.SigningKey.RsaPublicPem).ExitCode);
    }

    [Fact]
    public void A_statement_signed_by_another_key_is_valid_in_itself_but_xmlsec1_pinned_to_the_nodes_key_refuses_it()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var xml = StatementSignature.Sign(StatementXml.Member(_node.Group.Closed(Admin, "2026-01"), B), other);
        var check = StatementSignature.Verify(xml);
        Assert.True(check.Valid);
        using (var rsa = _node.SigningKey.OpenRsa()) Assert.NotEqual(StatementSignature.Fingerprint(rsa), check.KeyFingerprint);
        Assert.NotEqual(0, Xmlsec1.Verify(xml, _node.SigningKey.RsaPublicPem).ExitCode);
    }

    [Fact]
    public void An_unsigned_or_malformed_file_is_refused_with_its_code()
    {
        var unsigned = Regex.Replace(StatementOfB(), "<Signature .*</Signature>", "", RegexOptions.Singleline);
        Assert.EndsWith("[statement_unsigned]", Cli(unsigned).Line);
        Assert.EndsWith("[statement_malformed]", Cli("<statement").Line);
        Assert.EndsWith("[statement_malformed]", Cli("""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><statement xmlns="urn:commons-node:employers:statement:1"/>""").Line);
    }

    [Fact]
    public void A_statement_of_a_month_not_closed_or_a_stranger_is_not_found()
    {
        Assert.Equal("no_statement", Assert.ThrowsAny<Core.Errors.CommonsException>(() => _node.Group.MemberStatement(Admin, "2026-02", "b.example")).Code);
        Assert.Equal("no_statement", Assert.ThrowsAny<Core.Errors.CommonsException>(() => _node.Group.MemberStatement(Admin, "2026-01", "z.example")).Code);
    }
}
