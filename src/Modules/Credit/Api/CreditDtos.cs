using Commons.Core.Governance;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Signatures;

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

/// <summary>One side's signature: verified, invalid or missing; the actor that had to sign; why it is invalid.</summary>
public sealed record SignatureResponse(string State, string? Actor, string? Failure)
{
    public static SignatureResponse From(SignatureStatus s) => new(s.State, s.Actor, s.Failure);
}

/// <summary>A transaction with the payer's and the payee's signatures' status.</summary>
public sealed record SignedTransactionResponse(TransactionResponse Transaction, SignatureResponse Payer, SignatureResponse Payee)
{
    public static SignedTransactionResponse From(SignedTransaction t) =>
        new(TransactionResponse.From(t.Transaction), SignatureResponse.From(t.Payer), SignatureResponse.From(t.Payee));
}

/// <summary>One failure of the audit: its code, and the member and/or transaction concerned.</summary>
public sealed record AuditFailureResponse(string Code, string? Member, string? Transaction, string Detail);

/// <summary>The group audit seen from one of our ledgers: passed when no failure is listed.</summary>
public sealed record AuditResponse(string Ledger, string Group, int Members, int Transactions, bool Passed, IReadOnlyList<AuditFailureResponse> Failures)
{
    public static AuditResponse From(GroupAuditResult r) => new(r.Ledger, r.Group, r.Members, r.Transactions, r.Passed,
        r.Failures.Select(f => new AuditFailureResponse(f.Code, f.Member, f.Transaction, f.Detail)).ToList());
}

/// <summary>One member's limits in a change: its node actor, and its own lowest and highest balances (both absent: the group's apply).</summary>
public sealed record MemberLimitsBody(string? Actor, string? Lowest, string? Highest);

/// <summary>New limits for a group: default lowest and highest balances, members' overrides, and the authorising decision's reference when governed.</summary>
public sealed record LimitsBody(string? Lowest, string? Highest, IReadOnlyList<MemberLimitsBody>? Members, string? Decision);

/// <summary>A group's limits after a change: the defaults and each member's limits in force (amounts as decimal text).</summary>
public sealed record LimitsResponse(string Group, string Lowest, string Highest, IReadOnlyList<MemberLimitsBody> Members)
{
    public static LimitsResponse From(string group, GroupTerms terms) => new(group, Amounts.Text(terms.Lowest), Amounts.Text(terms.Highest),
        terms.Members.Select(m => new MemberLimitsBody(m.Actor, Amounts.Text(m.Lowest), Amounts.Text(m.Highest))).ToList());
}

/// <summary>One change of a group's limits: who, when, and the decision that authorised it.</summary>
public sealed record LimitsChangeResponse(string ChangedBy, DateTimeOffset At, string? Decision, string? DecisionTitle)
{
    public static LimitsChangeResponse From(GovernedChange c) => new(c.ChangedBy, c.At, c.DecisionRef, c.DecisionTitle);
}
