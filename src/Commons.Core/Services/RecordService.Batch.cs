using System.Text.Json;
using Commons.Core.Governance;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Records;

namespace Commons.Core.Services;

public sealed partial class RecordService
{
    /// <summary>Errors listed per failing record of a refused batch; past these, the record's first ones stand for the rest.</summary>
    public const int MaxErrorsPerRecord = 10;

    /// <summary>
    /// Creates many records of one dataset at once, all or nothing: each is checked as a single create would be (schema,
    /// size, id, the kind's rules inside the same transaction) and gets its own change. If any cannot be written, nothing is
    /// stored and <see cref="BatchRefusedException"/> lists every failing record by index and path.
    /// <para>
    /// A retried batch is safe when it names its ids: a record already stored with exactly the sent data and shared flag is
    /// kept as it is (reported not created, no change); the same id holding anything else is a <c>conflict</c> at its index.
    /// Without ids, each retry creates new records.
    /// </para>
    /// </summary>
    public RecordBatchResult CreateMany(Caller caller, string slug, IReadOnlyList<RecordBatchItem> items) =>
        CreateMany(datasets.Get(caller, slug, AccessLevel.Edit), caller.Username, items);

    private RecordBatchResult CreateMany(Dataset dataset, string by, IReadOnlyList<RecordBatchItem> items)
    {
        if (items.Count > limits.MaxBatchRecords)
            throw new BatchTooLargeException($"the batch has {items.Count} records; the limit is {limits.MaxBatchRecords}");
        if (items.Count == 0) throw ValidationException.For("$.records", "a batch needs at least one record");
        var kind = KindOf(dataset);
        var now = clock.GetUtcNow();
        var checks = new RecordBatchChecks(items, now, data => Check(dataset, data));
        var authorised = new GovernedChange?[items.Count];
        Func<int, JsonElement?>? checkAhead = checks.Check;
        if (kind is not null)
        {
            // A kind's governed settings (a resource's quota) are checked as a single create checks them, so a batch is no
            // way around a decision; that needs every record's own checks first, on all cores before the write gate.
            checkAhead = null;
            Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = items.Count < 16 ? 1 : Environment.ProcessorCount }, i => checks.Check(i));
            for (var i = 0; i < items.Count; i++)
            {
                if (checks.Refuses(i)) continue;
                try { authorised[i] = _governed.Check(kind, dataset, null, checks.Bodies[i], by); }
                catch (CommonsException e) { checks.Fail(i, e); }
            }
        }
        // A custom dataset's records are checked by the store just ahead of their write, on another core (checkAhead).
        // Only records that will be written have their stored form prepared: from the first failing one on, none is.
        var targets = new RecordTarget[items.Count];
        for (var i = 0; i < items.Count; i++)
            targets[i] = new RecordTarget(checks.Ids[i], items[i].Id is null, kind is null || checks.Refused ? null : checks.Bodies[i]);
        var written = records.CommitMany(dataset.Key, targets, kind?.Module, (i, current, data) =>
        {
            if (checks.Refuses(i)) return null;
            // A new id cannot conflict, and without a kind there are no rules to run: nothing more to find in a refused batch.
            if (checks.Refused && kind is null && items[i].Id is null) return null;
            try
            {
                var mutation = DecideCreate(dataset, checks.Ids[i], checks.Bodies[i], items[i].Shared, by, now, current);
                if (mutation is not null && kind is not null)
                    kind.CheckWrite(new RecordWrite(dataset, current, mutation.NewState, mutation.Change.Kind, mutation.Change.By), data!);
                return mutation;
            }
            catch (CommonsException e)
            {
                checks.Fail(i, e);
                return null;
            }
        }, checks.ThrowIfRefused, checkAhead);
        for (var i = 0; i < written.Count; i++)
            if (written[i].Change is not null) _governed.Record(authorised[i]);
        if (written.Any(w => w.Change is not null)) _notifier.ChangesCommitted(dataset.Key);
        return new RecordBatchResult(written.Select(w => new BatchWritten(w.Record, w.Change is not null)).ToList());
    }

    /// <summary>A create inside a batch; null when the record is already stored exactly so (a retry), a conflict when it holds anything else.</summary>
    private static RecordMutation? DecideCreate(Dataset dataset, string id, JsonElement body, bool shared, string by, DateTimeOffset now, Record? current)
    {
        if (current is { Deleted: false })
            return current.Shared == shared && JsonElement.DeepEquals(current.Data, body)
                ? null
                : throw new ConflictException($"record '{id}' already exists in '{dataset.Slug}' with other data");
        var revision = (current?.Revision ?? 0) + 1;
        var record = new Record
        {
            Id = id, Revision = revision, Data = body, Shared = shared, SharedOnce = shared || (current?.SharedOnce ?? false),
            HiddenAtRevision = current?.HiddenAtRevision,
            CreatedAt = now, CreatedBy = by, UpdatedAt = now, UpdatedBy = by,
        };
        return new RecordMutation(record, new ChangeDraft(ChangeKind.Create, id, revision, by, now));
    }

    /// <summary>The JSON path of the i-th entry in the request body.</summary>
    public static string EntryPath(int index) => $"$.records[{index}]";
}
