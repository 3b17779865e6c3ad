using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;

namespace Commons.Modules.Credit.Signatures;

/// <summary>How one side's signature on a transaction stands: <c>verified</c>, <c>invalid</c> (with the reason) or <c>missing</c>.</summary>
public static class SignatureStates
{
    public const string Verified = "verified";
    public const string Invalid = "invalid";
    public const string Missing = "missing";
}

/// <summary>
/// One side's signature: its <see cref="State"/> (<see cref="SignatureStates"/>), the actor expected to have signed
/// (the payer's or payee's node actor for the request, its ledger's actor for the answer) and, when invalid, why
/// (<c>bad_signature</c>, <c>unknown_key</c>, <c>content_mismatch</c>, <c>actor_unreachable</c>, …).
/// </summary>
public sealed record SignatureStatus(string State, string? Actor, string? Failure = null)
{
    public bool Verified => State == SignatureStates.Verified;
}

/// <summary>
/// A transaction with both sides' signatures checked again now, for pages and the API. <see cref="Payer"/> is the
/// payer's signed activity (a payment's request, or the answer accepting a bill), <see cref="Payee"/> the payee's
/// (a payment's accepting answer, or the bill's request). A pending transaction has at most one of them.
/// </summary>
public sealed record SignedTransaction(CreditTransaction Transaction, SignatureStatus Payer, SignatureStatus Payee);

/// <summary>
/// The doubly signed history. Each transfer is a request signed by the asking node and an answer signed by the asked
/// ledger, both kept with the transaction (module documents) as received or sent. A check verifies each activity's
/// FEP-8b32 proof against the actor that had to sign it (<see cref="IObjectProofs.VerifyAsync"/>) and that what it
/// signed is this transaction: the request's data carries its id, payer, payee, amount, unit, memo, nonce and time,
/// the answer accepts that request and names the transaction.
/// </summary>
public sealed class TransactionSignatures(CreditLedgers ledgers, IExchangeGateway gateway, IObjectProofs proofs)
{
    /// <summary>
    /// The pair kept for the transaction, completed from its exchange when the exchange knows more (and then kept,
    /// unless <paramref name="keep"/> is false: a view reads without writing).
    /// </summary>
    public SignedPair PairOf(string ledger, CreditTransaction t, bool keep = true)
    {
        var kept = ledgers.Read(b => b.Signatures(ledger, t.Id));
        if (kept.Complete || t.RequestId is null || gateway.Find(t.RequestId) is not { } e) return kept;
        var (request, answer) = e.Direction == ExchangeDirection.Outgoing ? (e.SentJson, e.ReceivedJson) : (e.ReceivedJson, e.SentJson);
        var known = new SignedPair(kept.Request ?? request, kept.Answer ?? (e.State == ExchangeState.Accepted ? answer : null));
        if (keep && known != kept) ledgers.KeepSigned(ledger, t.Id, known);
        return known;
    }

    /// <summary>
    /// The reason an incoming transfer's signed request does not prove <paramref name="t"/> from <paramref name="signer"/>
    /// (<c>missing_proof</c>, <c>content_mismatch</c>, <c>unknown_key</c>, <c>bad_signature</c>, …), or null when it does:
    /// the handlers check it before storing anything, so every transaction kept holds its asker's proof.
    /// </summary>
    public async Task<string?> RequestFailureAsync(string? signedJson, CreditTransaction t, string signer, CancellationToken ct)
    {
        if (signedJson is null) return "missing_proof";
        JsonElement doc;
        try { doc = JsonDocument.Parse(signedJson).RootElement.Clone(); }
        catch (JsonException) { return "malformed"; }
        if (!SignsRequest(doc, t) || Text(doc, "actor") != signer) return "content_mismatch";
        var check = await proofs.VerifyAsync(doc, signer, ct);
        return check.Valid ? null : check.Failure ?? "bad_signature";
    }

    /// <summary>Both signatures of <paramref name="t"/> checked; <paramref name="cache"/> spares checking the same activity twice (an audit sees each from both sides).</summary>
    public async Task<SignedTransaction> CheckAsync(GroupTerms group, CreditTransaction t, SignedPair pair, CancellationToken ct,
        Dictionary<string, ProofCheck>? cache = null)
    {
        var type = RequestTypeOf(pair.Request);
        var (payerSigns, payeeSigns) = type == CreditService.BillType ? ("answer", "request") : ("request", "answer");
        var payer = await SideAsync(group, t, pair, payerSigns, t.Payer, ct, cache);
        var payee = await SideAsync(group, t, pair, payeeSigns, t.Payee, ct, cache);
        return new SignedTransaction(t, payer, payee);
    }

    private async Task<SignatureStatus> SideAsync(GroupTerms group, CreditTransaction t, SignedPair pair, string part, string memberActor,
        CancellationToken ct, Dictionary<string, ProofCheck>? cache)
    {
        var member = group.Member(memberActor);
        // The request comes from the member's node actor; the answer from the member's ledger, the dataset asked.
        var signer = member is null ? null : part == "request" ? member.Actor : member.Ledger;
        var json = part == "request" ? pair.Request : pair.Answer;
        if (json is null || signer is null) return new SignatureStatus(SignatureStates.Missing, signer);
        JsonElement doc;
        try { doc = JsonDocument.Parse(json).RootElement.Clone(); }
        catch (JsonException) { return new SignatureStatus(SignatureStates.Invalid, signer, "malformed"); }
        if (!(part == "request" ? SignsRequest(doc, t) : SignsAnswer(doc, t, pair.Request)) || Text(doc, "actor") != signer)
            return new SignatureStatus(SignatureStates.Invalid, signer, "content_mismatch");
        var key = signer + "\n" + json;
        if (cache is null || !cache.TryGetValue(key, out var check))
        {
            check = await proofs.VerifyAsync(doc, signer, ct);
            if (cache is not null) cache[key] = check;
        }
        return check.Valid ? new SignatureStatus(SignatureStates.Verified, signer) : new SignatureStatus(SignatureStates.Invalid, signer, check.Failure);
    }

    /// <summary>The request's data is this transaction's agreed fields, none more nor less.</summary>
    private static bool SignsRequest(JsonElement request, CreditTransaction t)
    {
        if (!request.TryGetProperty("object", out var o) || o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("commons:data", out var data)) return false;
        try { return CreditTransaction.FromWire(data, t.State).SameTransfer(t); }
        catch (Core.Errors.CommonsException) { return false; }
    }

    /// <summary>The answer accepts the kept request and its result names this transaction.</summary>
    private static bool SignsAnswer(JsonElement answer, CreditTransaction t, string? requestJson)
    {
        if (Text(answer, "type") != "Accept" || requestJson is null) return false;
        string? requestId;
        try { requestId = Text(JsonDocument.Parse(requestJson).RootElement, "id"); }
        catch (JsonException) { return false; }
        return requestId is not null && Text(answer, "inReplyTo") == requestId
            && answer.TryGetProperty("commons:result", out var result) && result.ValueKind == JsonValueKind.Object && Text(result, "id") == t.Id;
    }

    private static string? RequestTypeOf(string? requestJson)
    {
        if (requestJson is null) return null;
        try
        {
            var doc = JsonDocument.Parse(requestJson).RootElement;
            return doc.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? Text(o, "commons:requestType") : null;
        }
        catch (JsonException) { return null; }
    }

    private static string? Text(JsonElement doc, string name) =>
        doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
