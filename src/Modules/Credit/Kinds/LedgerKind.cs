using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Credit.Kinds;

/// <summary>
/// A member node's ledger: one record per transaction of its account, kept under the id both sides share. Private by
/// default: who paid whom is the members' business; the audit reads the group's statements and both sides' copies.
/// </summary>
public sealed class LedgerKind : DatasetKind
{
    public const string KindName = "credit.ledger";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = CreditSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Crédit mutuel : grand livre", "Onderling krediet: grootboek", "Mutual credit: ledger");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Private;
    public override IReadOnlyList<string> ProblemCodes => CreditCodes.OfLedger;

    /// <summary>
    /// Only a pending transaction moves, and only its state (and its request id, reason and chain link): a final one
    /// is never changed or deleted. A new one is valid (<see cref="LedgerRules.CheckNew"/>). Pending, a payment
    /// reserves its amount within the lowest limit and a receipt its room within the highest; completed, the balance
    /// moves within the limits and the chain grows by the transaction's link; refused or expired, the reservation goes.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var book = new CreditBook(data);
        var ledger = write.Dataset.Slug;
        var before = write.Previous is { } p ? CreditTransaction.Of(p.Data) : null;
        if (before is { IsFinal: true })
            throw new RuleConflictException(CreditCodes.TransactionFinal, "Final",
                $"transaction {before.Id} is {before.State}: it is never changed or deleted; a new transaction compensating it corrects a mistake");
        var binding = book.Binding(ledger);
        var account = book.Account(ledger);
        if (before is not null && binding is not null) account = LedgerRules.Release(account, before, binding.Account);
        if (write.IsDelete)
        {
            if (before is null) return;
            book.ForgetNonce(ledger, before.Payer, before.Nonce);
            book.ForgetTransaction(ledger, before.Id);
            book.PutAccount(ledger, account);
            return;
        }

        var t = CreditTransaction.Of(write.Next.Data);
        if (t.Id != write.Next.Id)
            throw new RuleViolationException(CreditCodes.TransactionIdMismatch, "Id mismatch", $"the transaction's id {t.Id} is not its record's {write.Next.Id}", "id");
        if (binding is null || book.Group(binding.Group) is not { } group)
            throw new RuleConflictException(CreditCodes.LedgerNotJoined, "No group", $"ledger {ledger} has joined no exchange group this node knows");
        if (before is null)
        {
            LedgerRules.CheckNew(t, group, binding, book, ledger);
            book.UseNonce(ledger, t.Payer, t.Nonce, t.Id);
        }
        else if (!before.SameTransfer(t))
            throw new RuleConflictException(CreditCodes.TransactionFinal, "Fixed fields",
                $"only the state of pending transaction {t.Id} changes; what was agreed stays as it is");

        var me = group.Member(binding.Account)!;
        account = LedgerRules.Apply(account, t, me);
        book.PutAccount(ledger, account);
        book.PutTransaction(ledger, t);
        book.TrackPending(ledger, t);
        // Only an accepted bill is stored completed at once by its payer; its answer is owed until sent.
        if (before is null && t.State == TransactionStates.Completed && t.Payer == binding.Account && t.RequestId is { } request)
            book.OweAnswer(ledger, t.Id, request);
    }

    /// <summary>Deleting a ledger forgets its account's standing, nonces and transactions with it.</summary>
    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data) => new CreditBook(data).ForgetLedger(dataset.Slug);
}
