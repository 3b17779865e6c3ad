using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services;

/// <summary>
/// Reading and writing this node's ledgers for the service, the settlement and the request handlers: a ledger's
/// group and account, a transaction by id, and completing one (linked to the ledger's head, linked again when another
/// completion moved the head first).
/// </summary>
public sealed class CreditLedgers(IDatasetStore datasets, IRecordStore records, RecordService writes, IModuleStore modules)
{
    private const int ChainAttempts = 50;

    public Dataset Dataset(string ledger) => datasets.Find(ledger) is { Kind: LedgerKind.KindName } d
        ? d : throw new NotFoundException($"no credit ledger '{ledger}'");

    public IReadOnlyList<Dataset> All() => datasets.List().Where(d => d.Kind == LedgerKind.KindName).OrderBy(d => d.Key).ToList();

    /// <summary>The ledger's binding and its group's terms; <c>ledger_not_joined</c> when either is missing.</summary>
    public (LedgerBinding Binding, GroupTerms Group) Joined(string ledger) => modules.Read(CreditBook.Module, d =>
    {
        var book = new CreditBook(d);
        return book.Binding(ledger) is { } b && book.Group(b.Group) is { } g ? (b, g)
            : throw new RuleConflictException(CreditCodes.LedgerNotJoined, "No group", $"ledger {ledger} has joined no exchange group this node knows");
    });

    public AccountState Account(string ledger) => modules.Read(CreditBook.Module, d => new CreditBook(d).Account(ledger));

    public T Read<T>(Func<CreditBook, T> read) => modules.Read(CreditBook.Module, d => read(new CreditBook(d)));

    public T Write<T>(Func<CreditBook, T> write) => modules.Write(CreditBook.Module, d => write(new CreditBook(d)));

    public CreditTransaction? Find(string ledger, string id) =>
        records.Get(Dataset(ledger).Key, id) is { Deleted: false } r ? CreditTransaction.Of(r.Data) : null;

    /// <summary>The ledger's latest transactions by their time, newest first.</summary>
    public IReadOnlyList<CreditTransaction> Latest(string ledger, int limit)
    {
        var all = new List<CreditTransaction>();
        string? cursor = null;
        do
        {
            var page = records.Query(Dataset(ledger).Key, new RecordQuery { Limit = 500, Cursor = cursor });
            all.AddRange(page.Items.Where(r => !r.Deleted).Select(r => CreditTransaction.Of(r.Data)));
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all.OrderByDescending(t => DateTimeOffset.Parse(t.Time, System.Globalization.CultureInfo.InvariantCulture)).ThenBy(t => t.Id, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>
    /// Stores <paramref name="t"/> completed, linked after the ledger's head, through <paramref name="write"/> (a create
    /// or an update, with the rules in it). A concurrent completion moves the head; then it links again.
    /// </summary>
    public CreditTransaction Complete(string ledger, CreditTransaction t, Action<CreditTransaction> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            var done = t.CompletedAfter(Account(ledger).Head);
            try
            {
                write(done);
                return done;
            }
            catch (RuleConflictException e) when (e.Code == CreditCodes.ChainMismatch && attempt < ChainAttempts) { }
        }
    }

    /// <summary>Keeps what is known of the transaction's signed activities, adding to what was kept.</summary>
    public void KeepSigned(string ledger, string id, SignedPair pair) => Write(b =>
    {
        var kept = b.Signatures(ledger, id);
        b.PutSignatures(ledger, id, new SignedPair(kept.Request ?? pair.Request, kept.Answer ?? pair.Answer));
        return 0;
    });

    /// <summary>
    /// True when a pending transfer's time is past the group's <see cref="GroupTerms.TransferTimeout"/> at <paramref name="now"/>
    /// (plus <paramref name="grace"/>): the answering side refuses it from then on, the asking side expires it a little later.
    /// </summary>
    public static bool TimedOut(CreditTransaction t, GroupTerms group, DateTimeOffset now, TimeSpan grace = default) =>
        DateTimeOffset.TryParse(t.Time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
        && now >= at + group.TransferTimeout + grace;

    public void Create(string ledger, string by, CreditTransaction t) => writes.CreateDecided(Dataset(ledger), by, t.Id, t.ToJson());

    public void Update(string ledger, string by, CreditTransaction t) => writes.UpdateDecided(Dataset(ledger), by, t.Id, t.ToJson(), null);
}
