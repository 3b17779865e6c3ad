using System.Globalization;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;

namespace Commons.Modules.Credit.Accounts;

/// <summary>A bill another member sent this node, waiting for a member of ours: its request, our ledger, the transaction it proposes.</summary>
public sealed record BillToAnswer(string RequestId, string Ledger, CreditTransaction Transaction, DateTimeOffset Since);

/// <summary>
/// What the credit pages read beyond <see cref="CreditService"/>, decided from the <see cref="Caller"/>: the joined
/// ledgers a member may read, the bills waiting for a member who may edit the ledger they are addressed to, and a
/// ledger's statement for a Brussels month.
/// </summary>
public sealed class CreditAccounts(CreditLedgers ledgers, CreditSettlement settlement, IDatasetStore datasets, IExchangeGateway gateway)
{
    public static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private const int BillsShown = 200;

    /// <summary>This node's ledgers joined to a group that <paramref name="caller"/> may read, by key.</summary>
    public IReadOnlyList<string> Joined(Caller caller) => ledgers.All()
        .Where(d => DatasetAccess.CanSee(caller, d) && ledgers.Read(b => b.Binding(d.Slug)) is not null)
        .Select(d => d.Slug).ToList();

    /// <summary>The ledger the pages show: <paramref name="asked"/> when the caller may read it and it joined a group, else the first such; null when none.</summary>
    public string? Chosen(Caller caller, string? asked)
    {
        var joined = Joined(caller);
        return asked is not null && joined.Contains(asked) ? asked : joined.FirstOrDefault();
    }

    /// <summary>True when the caller may pay, bill or answer bills from <paramref name="ledger"/>.</summary>
    public bool MayUse(Caller caller, string ledger) =>
        caller.CanWrite && datasets.Find(ledger) is { } d && DatasetAccess.LevelOf(caller, d) >= AccessLevel.Edit;

    /// <summary>Bills sent to ledgers the caller may edit and still waiting, newest first.</summary>
    public IReadOnlyList<BillToAnswer> BillsToAnswer(Caller caller)
    {
        var bills = new List<BillToAnswer>();
        foreach (var e in gateway.HeldIncoming(CreditService.BillType, BillsShown))
        {
            if (e.DatasetSlug is not { } ledger || !MayUse(caller, ledger)) continue;
            try
            {
                bills.Add(new BillToAnswer(e.Id, ledger, CreditTransaction.FromWire(e.Body, TransactionStates.Pending), e.CreatedAt));
            }
            catch (ValidationException)
            {
                // The handler refuses a body it cannot read, so none is held; a stored one that no longer reads is skipped.
            }
        }
        return bills;
    }

    /// <summary>
    /// The ledger's completed transactions of one Brussels month, oldest first, each with the balance after it, and the
    /// balance the month opened with. Amounts are signed from the ledger's account's side.
    /// </summary>
    public Statement StatementOf(Caller caller, string ledger, StatementMonth month)
    {
        var dataset = datasets.Find(ledger) ?? throw new NotFoundException($"no dataset '{ledger}'");
        DatasetAccess.Require(caller, dataset, AccessLevel.Read);
        settlement.SettleAll();
        var (binding, group) = ledgers.Joined(ledger);
        var completed = ledgers.Latest(ledger, int.MaxValue).Where(t => t.State == TransactionStates.Completed)
            .OrderBy(At).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        var (from, to) = month.Range;
        var opening = completed.Where(t => At(t) < from).Sum(t => Signed(t, binding.Account));
        var balance = opening;
        var lines = new List<StatementLine>();
        foreach (var t in completed.Where(t => At(t) >= from && At(t) < to))
        {
            var amount = Signed(t, binding.Account);
            balance += amount;
            lines.Add(new StatementLine(t, At(t), amount, balance, t.Payer == binding.Account ? t.Payee : t.Payer));
        }
        return new Statement(ledger, binding.Account, group.Symbol, group.Precision, month, opening, balance, lines);
    }

    public static decimal Signed(CreditTransaction t, string account) => t.Payee == account ? t.Value : -t.Value;

    public static DateTimeOffset At(CreditTransaction t) => DateTimeOffset.Parse(t.Time, CultureInfo.InvariantCulture);

    public static DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Brussels).DateTime;
}

/// <summary>A month on the Brussels calendar: the statement's period.</summary>
public readonly record struct StatementMonth(int Year, int Month)
{
    public override string ToString() => $"{Year:D4}-{Month:D2}";

    /// <summary>From the first instant of the month in Brussels to the first of the next.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Range => (Start(Year, Month), Month == 12 ? Start(Year + 1, 1) : Start(Year, Month + 1));

    public static StatementMonth Of(DateTimeOffset at)
    {
        var local = CreditAccounts.Local(at);
        return new StatementMonth(local.Year, local.Month);
    }

    /// <summary><c>yyyy-MM</c>, or the month of <paramref name="now"/> when absent; a validation failure otherwise.</summary>
    public static StatementMonth Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text)) return Of(now);
        return DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 9998
            ? new StatementMonth(d.Year, d.Month)
            : throw ValidationException.For("month", "a month written yyyy-MM");
    }

    public StatementMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);
    public StatementMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    private static DateTimeOffset Start(int year, int month)
    {
        var local = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, CreditAccounts.Brussels.GetUtcOffset(local));
    }
}

/// <summary>One completed transaction in a statement: signed amount, the balance after it, the other member.</summary>
public sealed record StatementLine(CreditTransaction Transaction, DateTimeOffset At, decimal Amount, decimal Balance, string Other);

public sealed record Statement(string Ledger, string Account, string Symbol, int Precision, StatementMonth Month, decimal Opening, decimal Closing,
    IReadOnlyList<StatementLine> Lines);
