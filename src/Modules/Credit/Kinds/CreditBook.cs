using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Modules;

namespace Commons.Modules.Credit.Kinds;

/// <summary>An account's standing kept beside its ledger: what the rules read and change inside each write.</summary>
public sealed record AccountState(decimal Balance, decimal Reserved, decimal Expected, long Count, string Head)
{
    public static readonly AccountState Empty = new(0m, 0m, 0m, 0, HashChain.Genesis);
}

/// <summary>A transaction's two signed activities as JSON text (request, answer); either is null while not known.</summary>
public sealed record SignedPair(string? Request, string? Answer)
{
    public static readonly SignedPair None = new(null, null);
    public bool Complete => Request is not null && Answer is not null;
}

/// <summary>A ledger's place in a group: which group, and which member's account it keeps.</summary>
public sealed record LedgerBinding(string Group, string Account);

/// <summary>
/// Mutual credit's own documents (IModuleData, module <c>credit</c>): the groups' terms this node knows, each ledger's
/// binding to a group and account, each account's balance, reserved and expected amounts and chain head, the nonces
/// used per payer and each transaction's state. Inside a rule they are bound to the write's transaction.
/// </summary>
public sealed class CreditBook(IModuleData data)
{
    public const string Module = "credit";
    private const string Groups = "groups", Ledgers = "ledgers", Accounts = "accounts", Nonces = "nonces", Transactions = "transactions", Pending = "pending",
        Signed = "signed", Owed = "owed";

    public GroupTerms? Group(string id) => data.Get(Groups, id) is { } g ? GroupTerms.Of(g) : null;

    /// <summary>The unit's name per language as the group's record writes it (<c>unit.name</c>), empty when absent.</summary>
    public IReadOnlyDictionary<string, string> UnitNames(string id) =>
        data.Get(Groups, id) is { } g && g.TryGetProperty("unit", out var unit) && unit.TryGetProperty("name", out var names) && names.ValueKind == JsonValueKind.Object
            ? names.EnumerateObject().Where(n => n.Value.ValueKind == JsonValueKind.String).ToDictionary(n => n.Name, n => n.Value.GetString()!)
            : new Dictionary<string, string>();
    public void PutGroup(string id, JsonElement terms) => data.Put(Groups, id, terms);
    public void DeleteGroup(string id) => data.Delete(Groups, id);

    public LedgerBinding? Binding(string ledger) =>
        data.Get(Ledgers, ledger) is { } b ? new LedgerBinding(b.GetProperty("group").GetString()!, b.GetProperty("account").GetString()!) : null;

    public void Bind(string ledger, LedgerBinding binding) =>
        data.Put(Ledgers, ledger, JsonSerializer.SerializeToElement(new JsonObject { ["group"] = binding.Group, ["account"] = binding.Account }));

    public AccountState Account(string ledger) => data.Get(Accounts, ledger) is { } a
        ? new AccountState(Amounts.Parse(a.GetProperty("balance").GetString()!), Amounts.Parse(a.GetProperty("reserved").GetString()!),
            Amounts.Parse(a.GetProperty("expected").GetString()!), a.GetProperty("count").GetInt64(), a.GetProperty("head").GetString()!)
        : AccountState.Empty;

    public void PutAccount(string ledger, AccountState s) => data.Put(Accounts, ledger, JsonSerializer.SerializeToElement(new JsonObject
    {
        ["balance"] = Amounts.Text(s.Balance), ["reserved"] = Amounts.Text(s.Reserved), ["expected"] = Amounts.Text(s.Expected),
        ["count"] = s.Count, ["head"] = s.Head,
    }));

    /// <summary>The transaction that used this payer's nonce on this ledger, if any.</summary>
    public string? NonceUsedBy(string ledger, string payer, string nonce) =>
        data.Get(Nonces, NonceKey(ledger, payer, nonce)) is { } n ? n.GetProperty("id").GetString() : null;

    public void UseNonce(string ledger, string payer, string nonce, string id) =>
        data.Put(Nonces, NonceKey(ledger, payer, nonce), JsonSerializer.SerializeToElement(new JsonObject { ["id"] = id }));

    public void ForgetNonce(string ledger, string payer, string nonce) => data.Delete(Nonces, NonceKey(ledger, payer, nonce));

    /// <summary>A transaction's state, payer and payee, for compensations.</summary>
    public (string State, string Payer, string Payee)? Transaction(string ledger, string id) =>
        data.Get(Transactions, $"{ledger}|{id}") is { } t
            ? (t.GetProperty("state").GetString()!, t.GetProperty("payer").GetString()!, t.GetProperty("payee").GetString()!)
            : null;

    public void PutTransaction(string ledger, CreditTransaction t) => data.Put(Transactions, $"{ledger}|{t.Id}",
        JsonSerializer.SerializeToElement(new JsonObject { ["state"] = t.State, ["payer"] = t.Payer, ["payee"] = t.Payee }));

    public void ForgetTransaction(string ledger, string id)
    {
        data.Delete(Transactions, $"{ledger}|{id}");
        data.Delete(Pending, $"{ledger}|{id}");
    }

    /// <summary>Keeps the list of pending transactions the settlement pass looks at: a pending one in, a final one out.</summary>
    public void TrackPending(string ledger, CreditTransaction t)
    {
        if (t.State == TransactionStates.Pending)
            data.Put(Pending, $"{ledger}|{t.Id}", JsonSerializer.SerializeToElement(new JsonObject { ["ledger"] = ledger, ["id"] = t.Id }));
        else data.Delete(Pending, $"{ledger}|{t.Id}");
    }

    /// <summary>Pending transactions of every ledger: (ledger, transaction id), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<(string Ledger, string Id)> PendingTransactions(int limit) =>
        data.Range(Pending, null, null, limit).Select(d => (d.Value.GetProperty("ledger").GetString()!, d.Value.GetProperty("id").GetString()!)).ToList();

    /// <summary>The two signed activities of a transaction as this ledger keeps them: the request and its answer, each as received or sent.</summary>
    public SignedPair Signatures(string ledger, string id) => data.Get(Signed, $"{ledger}|{id}") is { } s
        ? new SignedPair(Text(s, "request"), Text(s, "answer")) : SignedPair.None;

    public void PutSignatures(string ledger, string id, SignedPair pair)
    {
        var o = new JsonObject();
        if (pair.Request is not null) o["request"] = pair.Request;
        if (pair.Answer is not null) o["answer"] = pair.Answer;
        data.Put(Signed, $"{ledger}|{id}", JsonSerializer.SerializeToElement(o));
    }

    /// <summary>
    /// A bill this ledger paid whose accepting answer is not known to have gone yet: written in the payment's own write,
    /// removed once the answer is sent, so a failure or a stop in between leaves the answer owed, not lost.
    /// </summary>
    public void OweAnswer(string ledger, string id, string requestId) =>
        data.Put(Owed, $"{ledger}|{id}", JsonSerializer.SerializeToElement(new JsonObject { ["ledger"] = ledger, ["id"] = id, ["request"] = requestId }));

    public void AnswerSent(string ledger, string id) => data.Delete(Owed, $"{ledger}|{id}");

    /// <summary>Answers owed, (ledger, transaction id, request id), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<(string Ledger, string Id, string RequestId)> OwedAnswers(int limit) =>
        data.Range(Owed, null, null, limit).Select(d => (d.Value.GetProperty("ledger").GetString()!, d.Value.GetProperty("id").GetString()!,
            d.Value.GetProperty("request").GetString()!)).ToList();

    /// <summary>Removes what the rules keep about a ledger (the dataset is deleted).</summary>
    public void ForgetLedger(string ledger)
    {
        data.Delete(Ledgers, ledger);
        data.Delete(Accounts, ledger);
        foreach (var collection in new[] { Nonces, Transactions, Pending, Signed, Owed })
            foreach (var doc in data.Range(collection, ledger + "|", ledger + "}", int.MaxValue)) data.Delete(collection, doc.Key);
    }

    private static string? Text(JsonElement doc, string name) => doc.TryGetProperty(name, out var v) ? v.GetString() : null;

    // A payer's actor URL may be long; the key stays under the store's 512 characters by hashing the payer.
    private static string NonceKey(string ledger, string payer, string nonce) =>
        $"{ledger}|{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payer)))[..32]}|{nonce}";
}
