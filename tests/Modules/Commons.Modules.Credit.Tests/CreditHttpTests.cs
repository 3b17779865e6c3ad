using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Tests.Support;
using Commons.Modules.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>The member API on /api/credit over real HTTP on 127.0.0.1, one host per member node of the group.</summary>
public sealed class CreditHttpTests
{
    private static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = Admin, ["alice"] = new Caller("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write),
    };

    private static Task<ModuleTestHost> Host(CreditNode node) =>
        ModuleTestHost.StartAsync<CreditModule>(Callers, s => s.AddSingleton(node.Credit!).AddSingleton(node.History!).AddSingleton(node.GroupAudit!));

    private static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        if (text.Length == 0) return default;
        var json = JsonDocument.Parse(text).RootElement.Clone();
        if (code is not null) Assert.Equal(code, json.GetProperty("code").GetString());
        return json;
    }

    [Fact]
    public async Task A_pays_B_and_both_balances_say_so_as_decimal_text()
    {
        using var net = new CreditPair();
        await using var hostA = await Host(net.NodeA);
        await using var hostB = await Host(net.NodeB);
        var paid = await Expect(await hostA.Client("root").PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "12.50", memo = "bread" }), HttpStatusCode.Created);
        Assert.Equal(("completed", "12.50"), (paid.GetProperty("state").GetString(), paid.GetProperty("amount").GetString()));

        var a = await Expect(await hostA.Client("root").GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.OK);
        var b = await Expect(await hostB.Client("root").GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.OK);
        Assert.Equal(("-12.50", "ŧ", "-100", 1), (a.GetProperty("balance").GetString(), a.GetProperty("unit").GetString(), a.GetProperty("lowest").GetString(), a.GetProperty("count").GetInt32()));
        Assert.Equal(JsonValueKind.String, b.GetProperty("balance").ValueKind);
        Assert.Equal("12.50", b.GetProperty("balance").GetString());
        var history = await Expect(await hostB.Client("root").GetAsync("/api/credit/ledgers/ledger/transactions"), HttpStatusCode.OK);
        Assert.Equal(paid.GetProperty("id").GetString(), history[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Bad_payments_are_refused_with_their_codes_and_nothing_stored()
    {
        using var net = new CreditPair();
        await using var host = await Host(net.NodeA);
        var root = host.Client("root");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "1.001" }), HttpStatusCode.UnprocessableEntity, "amount_precision");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "-1" }), HttpStatusCode.UnprocessableEntity, "amount_not_positive");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = Outsider, amount = "1" }), HttpStatusCode.UnprocessableEntity, "not_in_group");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "100.01" }), HttpStatusCode.Conflict, "below_lowest_limit");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await root.PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "one" }), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, net.NodeA.Count("ledger"));
    }

    [Fact]
    public async Task A_member_without_access_to_the_ledger_sees_no_ledger()
    {
        using var net = new CreditPair();
        await using var host = await Host(net.NodeA);
        await Expect(await host.Client("alice").PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "1" }), HttpStatusCode.NotFound);
        await Expect(await host.Client("alice").GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.NotFound);
        Assert.Equal(0, net.NodeA.Count("ledger"));
    }

    [Fact]
    public async Task B_bills_A_a_member_of_A_accepts_over_HTTP_and_a_second_answer_is_a_conflict()
    {
        using var net = new CreditPair();
        await using var hostA = await Host(net.NodeA);
        await using var hostB = await Host(net.NodeB);
        var bill = await Expect(await hostB.Client("root").PostAsJsonAsync("/api/credit/ledgers/ledger/bill", new { payer = A, amount = "4" }), HttpStatusCode.Created);
        Assert.Equal("pending", bill.GetProperty("state").GetString());
        var requestId = bill.GetProperty("requestId").GetString();
        var paid = await Expect(await hostA.Client("root").PostAsJsonAsync("/api/credit/bills/accept", new { requestId }), HttpStatusCode.OK);
        Assert.Equal("completed", paid.GetProperty("state").GetString());
        await Expect(await hostA.Client("root").PostAsJsonAsync("/api/credit/bills/refuse", new { requestId }), HttpStatusCode.Conflict, "exchange_not_pending");
        var b = await Expect(await hostB.Client("root").GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.OK);
        Assert.Equal(("4", "0"), (b.GetProperty("balance").GetString(), b.GetProperty("expected").GetString()));
    }

    [Fact]
    public async Task A_transaction_shows_both_signatures_and_the_group_audit_passes_over_HTTP()
    {
        using var net = new CreditPair();
        await using var hostA = await Host(net.NodeA);
        await using var hostB = await Host(net.NodeB);
        var paid = await Expect(await hostA.Client("root").PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "3", memo = "tea" }), HttpStatusCode.Created);
        var id = paid.GetProperty("id").GetString();

        var onB = await Expect(await hostB.Client("root").GetAsync($"/api/credit/ledgers/ledger/transactions/{id}"), HttpStatusCode.OK);
        Assert.Equal(("verified", A), (onB.GetProperty("payer").GetProperty("state").GetString(), onB.GetProperty("payer").GetProperty("actor").GetString()));
        Assert.Equal(("verified", "3"), (onB.GetProperty("payee").GetProperty("state").GetString(), onB.GetProperty("transaction").GetProperty("amount").GetString()));
        await Expect(await hostB.Client("root").GetAsync("/api/credit/ledgers/ledger/transactions/tx-none"), HttpStatusCode.NotFound);

        var audit = await Expect(await hostB.Client("root").GetAsync("/api/credit/ledgers/ledger/audit"), HttpStatusCode.OK);
        Assert.Equal((true, 3, 1, 0), (audit.GetProperty("passed").GetBoolean(), audit.GetProperty("members").GetInt32(),
            audit.GetProperty("transactions").GetInt32(), audit.GetProperty("failures").GetArrayLength()));
        await Expect(await hostB.Client("alice").GetAsync("/api/credit/ledgers/ledger/audit"), HttpStatusCode.NotFound);
    }
}
