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
        var errors = new List<BatchError>?[items.Count];
        var ids = new string[items.Count];
        var bodies = new JsonElement[items.Count];

        // The checks that need no stored state run on all cores before the write gate is taken.
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = items.Count < 16 ? 1 : Environment.ProcessorCount }, i =>
        {
            var item = items[i];
            if (item.Unreadable is { } unreadable) { errors[i] = [unreadable]; ids[i] = ""; return; }
            try
            {
                ids[i] = item.Id is null ? RecordIds.New(now) : RecordIds.Check(item.Id, $"{EntryPath(i)}.id");
                Check(dataset, item.Data);
                bodies[i] = item.Data.Clone();
            }
            catch (CommonsException e)
            {
                ids[i] ??= "";
                errors[i] = ErrorsOf(i, e);
            }
        });
        MarkDuplicateIds(items, ids, errors);

        // A governed setting in a record's fields (a resource's quota) is checked as a single create checks it, so a
        // batch is no way around a decision.
        var authorised = new GovernedChange?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (errors[i] is not null) continue;
            try { authorised[i] = _governed.Check(kind, dataset, null, bodies[i], by); }
            catch (CommonsException e) { errors[i] = ErrorsOf(i, e); }
        }

        // Only records that will be written have their stored form prepared; a refused batch prepares nothing.
        var refused = errors.Any(e => e is not null);
        var targets = ids.Select((id, i) => new RecordTarget(id, items[i].Id is null, refused ? null : bodies[i])).ToList();
        var written = records.CommitMany(dataset.Key, targets, kind?.Module, (i, current, data) =>
        {
            if (errors[i] is not null) return null;
            try
            {
                var mutation = DecideCreate(dataset, ids[i], bodies[i], items[i].Shared, by, now, current);
                if (mutation is not null && kind is not null)
                    kind.CheckWrite(new RecordWrite(dataset, current, mutation.NewState, mutation.Change.Kind, mutation.Change.By), data!);
                return mutation;
            }
            catch (CommonsException e)
            {
                errors[i] = ErrorsOf(i, e);
                return null;
            }
        }, () =>
        {
            if (errors.Any(e => e is not null)) throw new BatchRefusedException(errors.Where(e => e is not null).SelectMany(e => e!).ToList());
        });
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

    private static void MarkDuplicateIds(IReadOnlyList<RecordBatchItem> items, string[] ids, List<BatchError>?[] errors)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Id is null || errors[i] is not null) continue;
            if (first.TryAdd(ids[i], i)) continue;
            errors[i] = [new BatchError(i, $"{EntryPath(i)}.id", ProblemCodes.DuplicateId, $"the id '{ids[i]}' is also at index {first[ids[i]]}")];
        }
    }

    /// <summary>The JSON path of the i-th entry in the request body.</summary>
    public static string EntryPath(int index) => $"$.records[{index}]";

    /// <summary>A path inside a record's data (<c>$.title</c>, or a kind rule's bare field name) as a path in the request body.</summary>
    private static string DataPath(int index, string? path) => path switch
    {
        null or "$" => $"{EntryPath(index)}.data",
        _ when path.StartsWith(EntryPath(index), StringComparison.Ordinal) => path,
        _ when path.StartsWith('$') => $"{EntryPath(index)}.data{path[1..]}",
        _ => $"{EntryPath(index)}.data.{path}",
    };

    private static List<BatchError> ErrorsOf(int index, CommonsException e) => e switch
    {
        ValidationException v => v.Errors.Take(MaxErrorsPerRecord).Select(f => new BatchError(index, DataPath(index, f.Path), v.Code, f.Message)).ToList(),
        RuleViolationException r => [new BatchError(index, DataPath(index, r.Path), r.Code, r.Detail)],
        ConflictException => [new BatchError(index, $"{EntryPath(index)}.id", e.Code, e.Detail)],
        _ => [new BatchError(index, DataPath(index, null), e.Code, e.Detail)],
    };
}
