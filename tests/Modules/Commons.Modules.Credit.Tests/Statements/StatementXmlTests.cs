using System.Text.RegularExpressions;
using Commons.Core.Errors;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Statements;
using Commons.Modules.Credit.Tests.Support;
using Commons.Modules.Employers.Tests.Support;
using Commons.Platform.Statements;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests.Statements;

/// <summary>
/// The month statement as signed XML: in the employers' form, signed by the node's RSA key, checked by the shared
/// verifier and by Debian's xmlsec1 with the key pinned; amounts with the unit's precision; the month on the Brussels
/// calendar; refused to whoever may not read the ledger.
/// </summary>
public sealed class StatementXmlTests : IDisposable
{
    private readonly CreditPair _net = new();
    private readonly StatementSigning _a, _b;

    public StatementXmlTests()
    {
        _a = new StatementSigning(_net.NodeA);
        _b = new StatementSigning(_net.NodeB);
    }

    public void Dispose() => _net.Dispose();

    private static readonly StatementMonth March = new(2026, 3), April = new(2026, 4);

    /// <summary>A minute passes on every node, so that the month's lines have an order of their own.</summary>
    private void Tick()
    {
        foreach (var node in new[] { _net.NodeA, _net.NodeB, _net.NodeC }) node.Clock.Advance(TimeSpan.FromMinutes(1));
    }

    private async Task<string> StatementOfA(StatementMonth month) => (await _a.Statements.SignedAsync(Admin, "ledger", month, default)).Xml;

    [Fact]
    public async Task The_month_statement_holds_the_ledgers_month_and_verifies_with_the_shared_verifier_and_with_xmlsec1()
    {
        var paid = await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.5", "bread & <butter>", null, default);
        Tick();
        var bill = await _net.NodeB.Credit!.BillAsync(Admin, "ledger", A, "4", "soup", default);
        _net.NodeA.Credit.AcceptBill(Admin, bill.RequestId!);
        Tick();
        var billed = await _net.NodeC.Credit!.PayAsync(Admin, "ledger", A, "0.75", null, null, default);

        var xml = await StatementOfA(March);
        Assert.StartsWith($"<?xml version=\"1.0\" encoding=\"utf-8\"?><statement kind=\"month\" month=\"2026-03\" group=\"sel\" ledger=\"{CreditPair.LedgerA}\" account=\"{A}\"", xml);
        Assert.Contains("xmlns=\"urn:commons-node:credit:statement:1\"", xml);
        Assert.Contains("<unit symbol=\"ŧ\" precision=\"2\"><name xml:lang=\"en\">Zinne</name><name xml:lang=\"fr\">Zinne</name></unit>", xml);
        Assert.Contains("<period from=\"2026-03-01T00:00:00+01:00\" to=\"2026-04-01T00:00:00+02:00\" timeZone=\"Europe/Brussels\" />", xml);
        Assert.Contains("<opening>0.00</opening>", xml);
        Assert.Contains($"<transaction id=\"{paid.Id}\" time=\"2026-03-20T10:00:00+01:00\" counterparty=\"{B}\" memo=\"bread &amp; &lt;butter&gt;\" amount=\"-12.50\" balance=\"-12.50\" payerProof=\"verified\" payeeProof=\"verified\" />", xml);
        Assert.Contains($"id=\"{bill.Id}\"", xml);
        Assert.Contains("amount=\"-4.00\" balance=\"-16.50\" payerProof=\"verified\" payeeProof=\"verified\"", xml);
        Assert.Contains($"<transaction id=\"{billed.Id}\" time=\"2026-03-20T10:02:00+01:00\" counterparty=\"{C}\" amount=\"0.75\" balance=\"-15.75\"", xml);
        Assert.Contains("<closing>-15.75</closing>", xml);

        var check = XmlStatementSignature.Verify(xml, [CreditStatementXml.Form]);
        Assert.Equal((true, XmlStatementSignature.Valid), (check.Valid, check.Code));
        Assert.Equal($"mutual credit month statement of 2026-03 for {A} in ŧ", check.Detail);
        using (var rsa = _a.Key.OpenRsa()) Assert.Equal(XmlStatementSignature.Fingerprint(rsa), check.KeyFingerprint);
        var (code, output) = Xmlsec1.Verify(xml, _a.Key.RsaPublicPem);
        Assert.True(code == 0, output);
        Assert.Contains("OK", output);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "amount=\"-12.50\"", "amount=\"-12.51\"" },
        { "<closing>-12.50</closing>", "<closing>12.50</closing>" },
        { "payeeProof=\"verified\"", "payeeProof=\"missing\"" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task One_changed_amount_or_status_fails_both_verifiers(string from, string to)
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", "bread", null, default);
        var xml = await StatementOfA(March);
        Assert.Contains(from, xml);
        var changed = xml.Replace(from, to, StringComparison.Ordinal);

        var check = XmlStatementSignature.Verify(changed, [CreditStatementXml.Form]);
        Assert.Equal((false, XmlStatementSignature.Invalid), (check.Valid, check.Code));
        Assert.NotEqual(0, Xmlsec1.Verify(changed, _a.Key.RsaPublicPem).ExitCode);
        Assert.Equal(0, Xmlsec1.Verify(xml, _a.Key.RsaPublicPem).ExitCode);
    }

    [Fact]
    public async Task Amounts_are_decimal_text_with_the_units_precision_and_the_euro_worth_is_informative()
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "5", null, null, default);
        Tick();
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "0.1", null, null, default);
        var xml = await StatementOfA(March);
        var amounts = Regex.Matches(xml, "(?:amount|balance)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["-5.00", "-5.00", "-0.10", "-5.10"], amounts);
        Assert.All(amounts, a => Assert.Matches(@"^-?\d+\.\d{2}$", a));
        // The pair's terms carry no euro value: nothing is claimed.
        Assert.DoesNotContain("euroWorth", xml);
    }

    [Fact]
    public async Task A_group_with_a_euro_value_states_the_worth_of_the_balances_as_informative()
    {
        using var node = new CreditNode().OnNetwork(new LoopbackNetwork(), A, "https://a.example/datasets/ledger-a").WithGroup(CreditNode.Group.Replace("\"euroValue\":\"1.00\"", "\"euroValue\":\"0.333\"", StringComparison.Ordinal));
        node.Write("ledger-a", Tx("t1", A, B, "10.00", TransactionStates.Completed) with { Time = "2026-03-05T12:00:00+01:00" });
        var signing = new StatementSigning(node);
        var xml = (await signing.Statements.SignedAsync(Admin, "ledger-a", March, default)).Xml;
        Assert.Contains("<euroWorth informative=\"true\" perUnit=\"0.333\" opening=\"0.00\" closing=\"-3.33\" />", xml);
        Assert.Contains("payerProof=\"missing\" payeeProof=\"missing\"", xml);
        Assert.Equal(0, Xmlsec1.Verify(xml, signing.Key.RsaPublicPem).ExitCode);
    }

    [Fact]
    public async Task The_month_runs_from_midnight_to_midnight_in_Brussels_not_in_UTC()
    {
        foreach (var node in new[] { _net.NodeA, _net.NodeB }) node.Clock.Advance(new DateTimeOffset(2026, 3, 31, 21, 30, 0, TimeSpan.Zero) - Start);
        var lastOfMarch = await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "1", null, null, default);
        foreach (var node in new[] { _net.NodeA, _net.NodeB }) node.Clock.Advance(TimeSpan.FromHours(1));
        // 22:30 UTC on 31 March is 00:30 on 1 April in Brussels (summer time since 29 March).
        var firstOfApril = await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "2", null, null, default);

        var march = await StatementOfA(March);
        var april = (await _a.Statements.SignedAsync(Admin, "ledger", April, default)).Xml;
        Assert.Contains($"id=\"{lastOfMarch.Id}\" time=\"2026-03-31T23:30:00+02:00\"", march);
        Assert.DoesNotContain(firstOfApril.Id, march);
        Assert.Contains("<closing>-1.00</closing>", march);
        Assert.Contains($"id=\"{firstOfApril.Id}\" time=\"2026-04-01T00:30:00+02:00\"", april);
        Assert.DoesNotContain(lastOfMarch.Id, april);
        Assert.Contains("<opening>-1.00</opening>", april);
        Assert.Contains("<closing>-3.00</closing>", april);
        Assert.Contains("<period from=\"2026-04-01T00:00:00+02:00\" to=\"2026-05-01T00:00:00+02:00\"", april);
    }

    [Fact]
    public async Task A_member_who_may_not_read_the_ledger_gets_no_statement()
    {
        var alice = new Core.Access.Caller("alice", Core.Members.MemberRole.Member, Core.Tokens.TokenScopes.Read | Core.Tokens.TokenScopes.Write);
        await Assert.ThrowsAsync<NotFoundException>(() => _a.Statements.SignedAsync(alice, "ledger", March, default));
        await Assert.ThrowsAsync<NotFoundException>(() => _a.Statements.SignedAsync(Admin, "no-such-ledger", March, default));
    }

    [Fact]
    public async Task A_member_node_checks_anothers_statement_against_the_key_its_account_publishes()
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "3", null, null, default);
        var ofB = (await _b.Statements.SignedAsync(Admin, "ledger", March, default)).Xml;
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var onA = new StatementSigning(_net.NodeA, new Dictionary<string, string> { [B] = _b.Key.RsaPublicPem, [C] = other.ExportSubjectPublicKeyInfoPem() });

        var check = await onA.Statements.VerifyAsync(ofB, default);
        Assert.Equal((true, XmlStatementSignature.Valid), (check.Valid, check.Code));
        Assert.Contains($"for {B}", check.Detail);

        // B's statement re-signed with another key: whole in itself, but not by the key B's actor publishes.
        var doc = XmlStatementSignature.Load(Regex.Replace(ofB, "<Signature .*</Signature>", "", RegexOptions.Singleline));
        var forged = XmlStatementSignature.Sign(doc, other);
        Assert.True(XmlStatementSignature.Verify(forged, [CreditStatementXml.Form]).Valid);
        Assert.Equal(XmlStatementSignature.ForeignKey, (await onA.Statements.VerifyAsync(forged, default)).Code);
        Assert.Equal(XmlStatementSignature.Invalid, (await onA.Statements.VerifyAsync(ofB.Replace("amount=\"3.00\"", "amount=\"30.00\"", StringComparison.Ordinal), default)).Code);
        Assert.Equal(XmlStatementSignature.Malformed, (await onA.Statements.VerifyAsync("<statement", default)).Code);

        // A's own statement names A, whose actor document this node cannot read here.
        var ofA = await StatementOfA(March);
        Assert.Equal(CreditStatements.StatementUnverifiable, (await onA.Statements.VerifyAsync(ofA, default)).Code);
    }

    [Fact]
    public async Task The_statement_verify_command_names_a_credit_statement_and_refuses_an_employers_only_check()
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "3", null, null, default);
        var file = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N") + ".xml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            File.WriteAllText(file, await StatementOfA(March));
            (int, string) Run(IReadOnlyList<StatementForm> forms)
            {
                using var output = new StringWriter();
                var exit = StatementVerifyCommand.Build(() => output, Path.GetFullPath, forms).Parse([file]).Invoke();
                return (exit, output.ToString().Trim());
            }
            var (exit, line) = Run([CreditStatementXml.Form]);
            Assert.Equal(0, exit);
            Assert.Matches(@"^valid: mutual credit month statement of 2026-03 for https://a\.example/actor in ŧ, key sha256:[0-9a-f]{64} \[statement_valid\]$", line);
            var employersOnly = new StatementForm("urn:commons-node:employers:statement:1", "the employers' group", _ => "");
            Assert.Equal((1, "invalid: the document is not a statement of the employers' group [statement_malformed]"), Run([employersOnly]));
        }
        finally { File.Delete(file); }
    }
}
