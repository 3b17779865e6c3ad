using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Api;

/// <summary>A group to join: its id, the account (this node's actor as the group lists it), and the group dataset's actor on the coordinating node (absent: the group is defined here).</summary>
public sealed record JoinBody(string? GroupDataset, string? Group, string? Account);

/// <summary>A payment to ask: the payee member's node actor, the amount as decimal text, an optional memo and the transaction it compensates.</summary>
public sealed record PayBody(string? Payee, string? Amount, string? Memo, string? Compensates);

/// <summary>A bill to send: the paying member's node actor, the amount as decimal text, an optional memo.</summary>
public sealed record BillBody(string? Payer, string? Amount, string? Memo);

/// <summary>A bill sent to this node to accept or refuse: its request id; a refusal's words for people.</summary>
public sealed record BillAnswerBody(string? RequestId, string? Detail);

/// <summary>An account's standing: amounts as decimal text in the group's unit.</summary>
public sealed record BalanceResponse(string Ledger, string Account, string Unit, string Balance, string Reserved, string Expected, long Count, string Head,
    string Lowest, string Highest);

/// <summary>One transaction as the ledger holds it (amounts as decimal text).</summary>
public sealed record TransactionResponse(string Id, string Payer, string Payee, string Amount, string Unit, string? Memo, string Nonce, string Time,
    string State, string? Compensates, string? RequestId, string? Reason, string? Previous, string? Link)
{
    public static TransactionResponse From(CreditTransaction t) =>
        new(t.Id, t.Payer, t.Payee, t.Amount, t.Unit, t.Memo, t.Nonce, t.Time, t.State, t.Compensates, t.RequestId, t.Reason, t.Previous, t.Link);
}
