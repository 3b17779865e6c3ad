using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Services;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services;

/// <summary>
/// Mutual credit as members use it, every permission decided here from the <see cref="Caller"/>: a steward of a
/// ledger joins it to a group; a member who may edit the ledger pays, bills, accepts or refuses a bill. A payment
/// reserves its amount in the write that stores it pending, then goes to the payee's ledger as a <c>credit.pay</c>
/// request signed by this node; a bill stores what it expects and goes as <c>credit.bill</c>. The answer settles the
/// transaction (<see cref="CreditSettlement"/>).
/// </summary>
public sealed class CreditService(CreditLedgers ledgers, DatasetService datasets, RecordService records, IExchangeGateway gateway,
    CreditSettlement settlement, TimeProvider clock)
{
    public const string PayType = "credit.pay";
    public const string BillType = "credit.bill";

    /// <summary>
    /// Binds the ledger to the group and names its account (this node's actor in the group). <paramref name="terms"/>
    /// are the group's terms as its coordinating node publishes them; null when the group is defined on this node.
    /// </summary>
    public void Join(Caller caller, string ledger, string group, JsonElement? terms, string account)
    {
        datasets.Get(caller, ledger, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        ledgers.Dataset(ledger);
        var known = terms is { } t ? ParseTerms(t) : ledgers.Read(b => b.Group(group)) ?? throw new NotFoundException($"no exchange group '{group}' on this node");
        if (known.Member(account) is null)
            throw new RuleViolationException(CreditCodes.NotInGroup, "Not in the group", $"{account} is no member of the group", "account");
        ledgers.Write(b =>
        {
            if (terms is { } t) b.PutGroup(group, t);
            b.Bind(ledger, new LedgerBinding(group, account));
            return 0;
        });
    }

    /// <summary>This ledger's account pays <paramref name="payee"/>: reserved now, completed when the payee's node accepts.</summary>
    public Task<CreditTransaction> PayAsync(Caller caller, string ledger, string payee, string amount, string? memo, string? compensates, CancellationToken ct) =>
        AskAsync(caller, ledger, PayType, payee, (me, other) => (me, other), amount, memo, compensates, ct);

    /// <summary>This ledger's account bills <paramref name="payer"/>: completed when a member of the payer's node accepts.</summary>
    public Task<CreditTransaction> BillAsync(Caller caller, string ledger, string payer, string amount, string? memo, CancellationToken ct) =>
        AskAsync(caller, ledger, BillType, payer, (me, other) => (other, me), amount, memo, null, ct);

    private async Task<CreditTransaction> AskAsync(Caller caller, string ledger, string type, string otherActor,
        Func<string, string, (string Payer, string Payee)> sides, string amount, string? memo, string? compensates, CancellationToken ct)
    {
        datasets.Get(caller, ledger, AccessLevel.Edit);
        DatasetAccess.RequireWrite(caller);
        var (binding, group) = ledgers.Joined(ledger);
        var other = group.Member(otherActor)
            ?? throw new RuleViolationException(CreditCodes.NotInGroup, "Not in the group", $"{otherActor} is no member of the group", type == PayType ? "payee" : "payer");
        var (payer, payee) = sides(binding.Account, other.Actor);
        var t = new CreditTransaction
        {
            Id = "tx-" + Guid.NewGuid().ToString("N"), Payer = payer, Payee = payee, Amount = amount, Unit = group.Symbol, Memo = memo,
            Nonce = Guid.NewGuid().ToString("N"), Time = clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
            State = TransactionStates.Pending, Compensates = compensates,
        };
        records.Create(caller, ledger, t.Id, t.ToJson());
        Exchange sent;
        try
        {
            sent = await gateway.SendAsync(caller, other.Ledger, type, t.WireBody(), ct);
        }
        catch (CommonsException e)
        {
            ledgers.Update(ledger, caller.Username, t with { State = TransactionStates.Refused, Reason = e.Code });
            throw;
        }
        t = t with { RequestId = sent.Id };
        ledgers.Update(ledger, caller.Username, t);
        return settlement.Settle(ledger, t);
    }

    /// <summary>
    /// A member accepts a bill sent to this node's ledger: the payment is stored completed (within the lowest limit)
    /// and the answer goes to the payee signed by the ledger. A rule that refuses the payment refuses the bill with its
    /// code; so does a bill past the group's transfer timeout (<c>transfer_expired</c>). Accepting and refusing one bill
    /// take turns (a gate per request), and an answer that fails after the payment is stored stays owed: the
    /// settlement pass sends it (<see cref="CreditSettlement.SendAnswer"/>), and accepting again sends it too.
    /// </summary>
    public CreditTransaction AcceptBill(Caller caller, string requestId)
    {
        lock (BillGate(requestId))
        {
            var (exchange, ledger) = PendingBill(caller, requestId);
            var t = CreditTransaction.FromWire(exchange.Body, TransactionStates.Completed) with { RequestId = requestId };
            if (ledgers.Find(ledger, t.Id) is { State: TransactionStates.Completed } paid && paid.SameTransfer(t))
            {
                settlement.SendAnswer(ledger, paid, requestId, caller.Username);
                return paid;
            }
            CreditTransaction done;
            try
            {
                if (CreditLedgers.TimedOut(t, ledgers.Joined(ledger).Group, clock.GetUtcNow()))
                    throw new RuleConflictException(CreditCodes.TransferExpired, "Too late", $"the bill of {t.Time} is older than the group's transfer timeout");
                done = ledgers.Complete(ledger, t, c => records.Create(caller, ledger, c.Id, c.ToJson()));
            }
            catch (CommonsException e)
            {
                gateway.AnswerPending(requestId, RequestDecision.Refuse(e.Code, e.Detail), caller.Username);
                throw;
            }
            ledgers.KeepSigned(ledger, done.Id, new SignedPair(exchange.ReceivedJson, null));
            settlement.SendAnswer(ledger, done, requestId, caller.Username);
            return done;
        }
    }

    /// <summary>A member refuses a bill sent to this node's ledger; nothing is stored.</summary>
    public void RefuseBill(Caller caller, string requestId, string? detail)
    {
        lock (BillGate(requestId))
        {
            var (exchange, ledger) = PendingBill(caller, requestId);
            // Paid already, its answer owed: the bill is accepted, not refused.
            if (ledgers.Find(ledger, CreditTransaction.FromWire(exchange.Body, TransactionStates.Completed).Id) is { State: TransactionStates.Completed })
                throw new ConflictException("the bill was paid already; its answer is on its way", ProblemCodes.ExchangeNotPending);
            gateway.AnswerPending(requestId, RequestDecision.Refuse(ProblemCodes.RequestRefused, detail ?? "refused by a member of the payer"), caller.Username);
        }
    }

    private static readonly object[] BillGates = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    private static object BillGate(string requestId) => BillGates[(uint)StringComparer.Ordinal.GetHashCode(requestId) % BillGates.Length];

    /// <summary>The account's standing after settling what was answered meanwhile.</summary>
    public AccountState Balance(Caller caller, string ledger)
    {
        datasets.Get(caller, ledger, AccessLevel.Read);
        settlement.SettleAll();
        return ledgers.Account(ledger);
    }

    /// <summary>The account's standing with its binding and group, after settling what was answered meanwhile.</summary>
    public (AccountState Account, LedgerBinding Binding, GroupTerms Group) Standing(Caller caller, string ledger)
    {
        var account = Balance(caller, ledger);
        var (binding, group) = ledgers.Joined(ledger);
        return (account, binding, group);
    }

    /// <summary>The ledger's transactions, newest first, at most 200.</summary>
    public IReadOnlyList<CreditTransaction> History(Caller caller, string ledger)
    {
        datasets.Get(caller, ledger, AccessLevel.Read);
        settlement.SettleAll();
        return ledgers.Latest(ledger, 200);
    }

    /// <summary>What a transfer's answer carries back: the transaction and the answering ledger's link for it.</summary>
    public static JsonElement Result(CreditTransaction done) => JsonSerializer.SerializeToElement(new Dictionary<string, string>
    {
        ["id"] = done.Id, ["state"] = done.State, ["previous"] = done.Previous!, ["link"] = done.Link!,
    });

    private (Exchange Exchange, string Ledger) PendingBill(Caller caller, string requestId)
    {
        var exchange = gateway.Find(requestId);
        // A bill stored but not yet checked by BillRequestHandler is not one to answer: accepted in that moment, the
        // handler's own refusal (its nonce now used by the payment) could win the answer while the payment stays stored.
        if (exchange is not { Direction: ExchangeDirection.Incoming, RequestType: BillType, DatasetSlug: { } ledger, Undecided: false })
            throw new NotFoundException($"no bill '{requestId}' to this node's ledgers (or not checked yet)");
        datasets.Get(caller, ledger, AccessLevel.Edit);
        DatasetAccess.RequireWrite(caller);
        if (exchange.State != ExchangeState.Pending)
            throw new ConflictException($"the bill was {exchange.State.ToString().ToLowerInvariant()} already", ProblemCodes.ExchangeNotPending);
        return (exchange, ledger);
    }

    private static GroupTerms ParseTerms(JsonElement terms)
    {
        try { return GroupTerms.Of(terms); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw ValidationException.For("terms", "an exchange group as the schema credit.group.v1 describes it");
        }
    }
}
