using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Tests.Support;
using Commons.Modules.Employers.Tests.Support;
using Commons.Modules.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests.Statements;

/// <summary>The signed month statement over real HTTP on 127.0.0.1: the API, the pages' download beside the CSV, the check of another member's statement, and their refusals as problem+json.</summary>
public sealed class StatementXmlHttpTests
{
    private static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = Admin, ["alice"] = new Caller("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write),
    };

    private static Task<ModuleTestHost> Host(CreditNode node, StatementSigning signing) =>
        ModuleTestHost.StartAsync<CreditModule>(Callers, s => s.AddSingleton(node.Credit!).AddSingleton(signing.Accounts).AddSingleton(signing.Statements)
            .AddSingleton<TimeProvider>(node.Clock));

    private static async Task Problem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_api_and_the_pages_serve_the_signed_statement_and_refuse_bad_months_unknown_ledgers_and_members_without_the_right()
    {
        using var net = new CreditPair();
        var signing = new StatementSigning(net.NodeA);
        await using var host = await Host(net.NodeA, signing);
        await net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", "bread", null, default);
        var root = host.Client("root");

        var api = await root.GetAsync("/api/credit/ledgers/ledger/statements/2026-03.xml");
        Assert.Equal((HttpStatusCode.OK, "application/xml"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        var xml = await api.Content.ReadAsStringAsync();
        Assert.Contains("amount=\"-12.50\"", xml);
        Assert.Equal(0, Xmlsec1.Verify(xml, signing.Key.RsaPublicPem).ExitCode);

        var page = await root.GetAsync("/credit/statement.xml?ledger=ledger&month=2026-03");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("credit-ledger-2026-03.xml", page.Content.Headers.ContentDisposition?.FileNameStar ?? page.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(0, Xmlsec1.Verify(await page.Content.ReadAsStringAsync(), signing.Key.RsaPublicPem).ExitCode);

        await Problem(await root.GetAsync("/api/credit/ledgers/ledger/statements/2026-13.xml"), HttpStatusCode.BadRequest, "validation_failed");
        await Problem(await root.GetAsync("/api/credit/ledgers/nowhere/statements/2026-03.xml"), HttpStatusCode.NotFound, "not_found");
        await Problem(await host.Client("alice").GetAsync("/api/credit/ledgers/ledger/statements/2026-03.xml"), HttpStatusCode.NotFound, "not_found");
        await Problem(await host.Client("alice").GetAsync("/credit/statement.xml?month=2026-03"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Checking_a_statement_answers_its_verdict_and_a_missing_one_is_a_validation_failure()
    {
        using var net = new CreditPair();
        var signing = new StatementSigning(net.NodeA);
        await using var host = await Host(net.NodeA, signing);
        var xml = (await signing.Statements.SignedAsync(Admin, "ledger", new(2026, 3), default)).Xml;
        var root = host.Client("root");

        // Nothing here publishes A's actor document: whole, but its origin unproven.
        var verdict = await (await root.PostAsJsonAsync("/api/credit/statements/verify", new { xml })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, "statement_unverifiable", A, "2026-03"), (verdict.GetProperty("valid").GetBoolean(), verdict.GetProperty("code").GetString(),
            verdict.GetProperty("account").GetString(), verdict.GetProperty("month").GetString()));
        var changed = await (await root.PostAsJsonAsync("/api/credit/statements/verify", new { xml = xml.Replace("<opening>0.00", "<opening>9.00", StringComparison.Ordinal) }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("signature_invalid", changed.GetProperty("code").GetString());
        await Problem(await root.PostAsJsonAsync("/api/credit/statements/verify", new { xml = "" }), HttpStatusCode.BadRequest, "validation_failed");
    }
}
