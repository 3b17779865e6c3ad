using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// The refusals, each leaving nothing stored on the receiving ledger (no record, no nonce, no reservation):
/// A and B each serve the member API over real HTTP on 127.0.0.1, and what A's node sends B is a request activity with
/// a real Ed25519 proof, made bad in the way each case says. The platform's HTTP-signature check in front of the
/// handlers is the federation's, tested there and end to end.
/// </summary>
public sealed class RefusalTests : IAsyncLifetime
{
    private readonly CreditPair _net = new();
    private ModuleTestHost _hostA = null!, _hostB = null!;

    public async Task InitializeAsync()
    {
        _hostA = await Host(_net.NodeA);
        _hostB = await Host(_net.NodeB);
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
        _net.Dispose();
    }

    private static Task<ModuleTestHost> Host(CreditNode node) => ModuleTestHost.StartAsync<CreditModule>(
        new Dictionary<string, Core.Access.Caller> { ["root"] = Admin }, s => s.AddSingleton(node.Credit!).AddSingleton(node.History!));

    /// <summary>A pays B over A's API while B's delivery is held, then B is handed the request as <paramref name="tamper"/> makes it.</summary>
    private async Task<(RequestDecision Decision, string TransactionId)> PayTampered(string amount, Func<JsonObject, string, JsonObject> tamper, Func<JsonObject, JsonObject>? body = null)
    {
        _net.Network.Hold = true;
        var response = await _hostA.Client("root").PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount, memo = "bread" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!;
        _net.Network.Held.Clear();
        var request = JsonNode.Parse(_net.NodeA.Gateway!.Find(sent)!.SentJson!)!.AsObject();
        if (body is not null)
        {
            request["object"]!["commons:data"] = body(request["object"]!["commons:data"]!.AsObject());
            _net.Network.Keys.Sign(A, request);
        }
        var delivered = tamper(request, sent).ToJsonString();
        var decision = _net.NodeA.Gateway.Deliver(sent, signedJson: delivered);
        return (decision, JsonNode.Parse(delivered)!["object"]!["commons:data"]!["id"]!.GetValue<string>());
    }

    private async Task NothingStoredOnB()
    {
        Assert.Equal(0, _net.NodeB.Count("ledger"));
        Assert.Equal(AccountState.Empty, _net.NodeB.Account("ledger"));
        var balance = await _hostB.Client("root").GetFromJsonAsync<JsonElement>("/api/credit/ledgers/ledger/transactions");
        Assert.Equal(0, balance.GetArrayLength());
    }

    [Fact]
    public async Task A_request_whose_signature_does_not_verify_is_refused()
    {
        var (decision, _) = await PayTampered("5", (r, _) =>
        {
            r["object"]!["commons:data"]!["amount"] = "50";
            return r;
        });
        Assert.Equal((ExchangeState.Refused, CreditCodes.SignatureInvalid), (decision.State, decision.Code));
        Assert.Contains("bad_signature", decision.Detail);
        await NothingStoredOnB();
    }

    [Fact]
    public async Task A_request_proved_by_a_key_that_is_not_the_payers_is_refused()
    {
        var (decision, _) = await PayTampered("5", (r, _) =>
        {
            _net.Network.Keys.Sign(C, r);
            r["proof"]!["verificationMethod"] = A + "#ed25519-key";
            return r;
        });
        Assert.Equal((ExchangeState.Refused, CreditCodes.SignatureInvalid), (decision.State, decision.Code));
        var (byC, _) = await PayTampered("5", (r, _) => _net.Network.Keys.Sign(C, r));
        Assert.Equal(CreditCodes.SignatureInvalid, byC.Code);
        Assert.Contains("unknown_key", byC.Detail);
        await NothingStoredOnB();
    }

    [Fact]
    public async Task A_request_without_its_proof_is_refused()
    {
        var (decision, _) = await PayTampered("5", (r, _) => { r.Remove("proof"); return r; });
        Assert.Equal(CreditCodes.SignatureInvalid, decision.Code);
        await NothingStoredOnB();
    }

    [Fact]
    public async Task A_replayed_nonce_with_other_terms_is_refused_and_stores_nothing_more()
    {
        _net.Network.Hold = false;
        var first = await _hostA.Client("root").PostAsJsonAsync("/api/credit/ledgers/ledger/pay", new { payee = B, amount = "5" });
        var paid = await first.Content.ReadFromJsonAsync<JsonElement>();
        var nonce = paid.GetProperty("nonce").GetString()!;
        var (decision, _) = await PayTampered("6", (r, _) => r, body => { body["nonce"] = nonce; return body; });
        Assert.Equal((ExchangeState.Refused, CreditCodes.NonceReplayed), (decision.State, decision.Code));
        Assert.Equal((1, 5m), (_net.NodeB.Count("ledger"), _net.NodeB.Account("ledger").Balance));
    }

    [Theory]
    [InlineData("payer", CreditCodes.NotAllowed)]
    [InlineData("payee", CreditCodes.NotInGroup)]
    public async Task A_payer_or_payee_outside_the_group_is_refused(string field, string code)
    {
        var (decision, _) = await PayTampered("5", (r, _) => r, body => { body[field] = Outsider; return body; });
        Assert.Equal((ExchangeState.Refused, code), (decision.State, decision.Code));
        await NothingStoredOnB();
    }

    [Theory]
    [InlineData("1.001", CreditCodes.AmountPrecision)]
    [InlineData("0", CreditCodes.AmountNotPositive)]
    [InlineData("-3", CreditCodes.AmountNotPositive)]
    public async Task An_amount_with_too_many_decimals_or_not_positive_is_refused(string amount, string code)
    {
        var (decision, _) = await PayTampered("5", (r, _) => r, body => { body["amount"] = amount; return body; });
        Assert.Equal((ExchangeState.Refused, code), (decision.State, decision.Code));
        await NothingStoredOnB();
    }
}
