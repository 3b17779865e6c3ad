using System.Runtime.InteropServices;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Core.Json;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Schemas;

namespace Commons.Core.Services;

/// <summary>Reading and writing records: access, schema, limits, revisions and optimistic concurrency.</summary>
public sealed partial class RecordService(DatasetService datasets, IRecordStore records, IChangeFeed feed, RecordLimits limits, TimeProvider clock,
    IChangeNotifier? notifier = null, IDatasetKinds? kinds = null, IEnumerable<IGovernance>? governance = null)
{
    private readonly GovernedRecordWrites _governed = new(governance ?? []);
    private readonly IChangeNotifier _notifier = notifier ?? NoChangeNotifier.Instance;
    private readonly IDatasetKinds _kinds = kinds ?? DatasetKindRegistry.Empty;

    public Record Get(Caller caller, string slug, string id)
    {
        var dataset = datasets.Get(caller, slug);
        var record = records.Get(dataset.Key, id);
        if (record is null || record.Deleted) throw new NotFoundException($"no record '{id}' in '{slug}'");
        return record;
    }

    public RecordPage List(Caller caller, string slug, RecordQuery query) => List(caller, datasets.Get(caller, slug), query);

    /// <summary>
    /// The listing of a dataset the page has just read (<see cref="DatasetService.Get"/>) to show it beside its records: the
    /// caller's access to it is checked here again, from the dataset in hand, instead of reading the dataset a second time.
    /// </summary>
    public RecordPage List(Caller caller, Dataset dataset, RecordQuery query)
    {
        DatasetAccess.Require(caller, dataset, AccessLevel.Read);
        return records.Query(dataset.Key, query with { Limit = Math.Clamp(query.Limit, 1, limits.MaxPageSize) });
    }

    public (Dataset Dataset, IReadOnlyList<Change> Changes) Changes(Caller caller, string slug, long afterSeq, int limit)
    {
        var dataset = datasets.Get(caller, slug);
        return (dataset, feed.Since(dataset.Key, afterSeq, Math.Clamp(limit, 1, limits.MaxPageSize)));
    }

    public (Record Record, Change? Change) Create(Caller caller, string slug, string? id, JsonElement data, bool shared = true) =>
        Create(datasets.Get(caller, slug, AccessLevel.Edit), caller.Username, id, data, shared);

    /// <summary>Replaces a record's data (and optionally its shared flag). A write identical to the stored state changes nothing.</summary>
    public (Record Record, Change? Change) Update(Caller caller, string slug, string id, JsonElement? data, bool? shared, long? expectedRevision) =>
        Update(datasets.Get(caller, slug, AccessLevel.Edit), caller.Username, id, data, shared, expectedRevision);

    public (Record Tombstone, Change? Change) Delete(Caller caller, string slug, string id, long? expectedRevision) =>
        Delete(datasets.Get(caller, slug, AccessLevel.Edit), caller.Username, id, expectedRevision);

    // Writes whose access a module decided itself: its service for a member (any member books a room in a bookings
    // dataset they cannot edit record by record), or its request handler for a peer (`by` is then the requester's actor
    // URL). No dataset access applies here; the schema and the kind's rules do, and the record says who wrote.

    public (Record Record, Change? Change) CreateDecided(Dataset dataset, string by, string? id, JsonElement data, bool shared = true) =>
        Create(dataset, by, id, data, shared);

    public (Record Record, Change? Change) UpdateDecided(Dataset dataset, string by, string id, JsonElement data, long? expectedRevision) =>
        Update(dataset, by, id, data, null, expectedRevision);

    private (Record Record, Change? Change) Create(Dataset dataset, string by, string? id, JsonElement data, bool shared)
    {
        Check(dataset, data);
        var now = clock.GetUtcNow();
        var generated = id is null;
        id = id is null ? RecordIds.New(now) : RecordIds.Check(id);
        var body = data.Clone();
        var authorised = _governed.Check(KindOf(dataset), dataset, null, body, by);
        return Governed(authorised, Commit(dataset, id, generated, current =>
        {
            if (current is { Deleted: false }) throw new ConflictException($"record '{id}' already exists in '{dataset.Slug}'");
            var revision = (current?.Revision ?? 0) + 1;
            var record = new Record
            {
                Id = id, Revision = revision, Data = body, Shared = shared, SharedOnce = shared || (current?.SharedOnce ?? false),
                HiddenAtRevision = current?.HiddenAtRevision,
                CreatedAt = now, CreatedBy = by, UpdatedAt = now, UpdatedBy = by,
            };
            return new RecordMutation(record, new ChangeDraft(ChangeKind.Create, id, revision, by, now));
        }));
    }

    private (Record Record, Change? Change) Update(Dataset dataset, string by, string id, JsonElement? data, bool? shared, long? expectedRevision)
    {
        if (data is { } d) Check(dataset, d);
        var now = clock.GetUtcNow();
        var body = data?.Clone();
        var authorised = body is { } next && records.Get(dataset.Key, id) is { Deleted: false } stored
            ? _governed.Check(KindOf(dataset), dataset, stored.Data, next, by) : null;
        return Governed(authorised, Commit(dataset, id, current =>
        {
            if (current is null || current.Deleted) throw new NotFoundException($"no record '{id}' in '{dataset.Slug}'");
            if (expectedRevision is { } rev && rev != current.Revision)
                throw new PreconditionFailedException($"record '{id}' is at revision {current.Revision}, not {rev}", current.Revision);
            var dataChanged = body is { } b && !JsonElement.DeepEquals(b, current.Data);
            var sharedChanged = shared is { } s && s != current.Shared;
            if (!dataChanged && !sharedChanged) return null;
            var revision = current.Revision + 1;
            var record = current with
            {
                Revision = revision, Data = dataChanged ? body!.Value : current.Data, Shared = shared ?? current.Shared,
                SharedOnce = current.SharedOnce || (shared ?? current.Shared),
                HiddenAtRevision = sharedChanged && current.Shared ? revision : current.HiddenAtRevision,
                UpdatedAt = now, UpdatedBy = by,
            };
            // A change of the shared flag is a sharing change even when the data changed too: peers must learn to drop
            // (or to receive) the record, which an update of an unshared record would not tell them.
            var kind = sharedChanged ? ChangeKind.RecordSharing : ChangeKind.Update;
            return new RecordMutation(record, new ChangeDraft(kind, id, revision, by, now));
        }));
    }

    /// <summary>A governed setting's change is recorded once written; an unchanged write records nothing.</summary>
    private (Record, Change?) Governed(GovernedChange? authorised, (Record Record, Change? Change) written)
    {
        if (written.Change is not null) _governed.Record(authorised);
        return written;
    }

    private (Record Tombstone, Change? Change) Delete(Dataset dataset, string by, string id, long? expectedRevision)
    {
        var now = clock.GetUtcNow();
        return Commit(dataset, id, current =>
        {
            if (current is null || current.Deleted) throw new NotFoundException($"no record '{id}' in '{dataset.Slug}'");
            if (expectedRevision is { } rev && rev != current.Revision)
                throw new PreconditionFailedException($"record '{id}' is at revision {current.Revision}, not {rev}", current.Revision);
            var revision = current.Revision + 1;
            var tombstone = current with
            {
                Revision = revision, Data = default, Deleted = true, DeletedAt = now, UpdatedAt = now, UpdatedBy = by,
                HiddenAtRevision = current.Shared ? revision : current.HiddenAtRevision,
            };
            return new RecordMutation(tombstone, new ChangeDraft(ChangeKind.Delete, id, revision, by, now));
        });
    }

    private (Record Record, Change? Change) Commit(Dataset dataset, string id, Func<Record?, RecordMutation?> decide) =>
        Commit(dataset, id, generated: false, decide);

    /// <summary>
    /// Writes through the store, with the dataset's kind's rules inside the same transaction (a custom dataset has none),
    /// and tells the fan-out once the commit has returned. A create under an id generated here skips the read of the
    /// current state (<see cref="IRecordStore.CommitNew"/>): the store's insert refuses the id if it is taken after all.
    /// </summary>
    private (Record Record, Change? Change) Commit(Dataset dataset, string id, bool generated, Func<Record?, RecordMutation?> decide)
    {
        var kind = KindOf(dataset);
        RecordMutation? Decide(Record? current, IModuleData? data)
        {
            var mutation = decide(current);
            if (mutation is not null && kind is not null)
                kind.CheckWrite(new RecordWrite(dataset, current, mutation.NewState, mutation.Change.Kind, mutation.Change.By), data!);
            return mutation;
        }
        var written = generated ? records.CommitNew(dataset.Key, id, kind?.Module, Decide)
            : kind is not null ? records.Commit(dataset.Key, id, kind.Module, (current, data) => Decide(current, data))
            : records.Commit(dataset.Key, id, decide);
        return Notified(dataset.Key, written);
    }

    /// <summary>The kind whose rules every write must keep; a dataset of a kind this node's code no longer has is not written at all.</summary>
    private DatasetKind? KindOf(Dataset dataset)
    {
        if (dataset.Kind == DatasetKind.Custom) return null;
        return _kinds.Find(dataset.Kind) ?? throw new ConflictException(
            $"dataset '{dataset.Slug}' is of kind '{dataset.Kind}', which no module of this node provides; its records are kept but cannot be changed",
            ProblemCodes.KindUnavailable);
    }

    /// <summary>Commit has returned, so the change is durable; a refused or unchanged write has no change and tells nobody.</summary>
    private (Record, Change?) Notified(int datasetKey, (Record Record, Change? Change) written)
    {
        if (written.Change is not null) _notifier.ChangesCommitted(datasetKey);
        return written;
    }

    private void Check(Dataset dataset, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) throw ValidationException.For("$", "a record is a JSON object");
        // Bodies read by the API are already checked; this also covers the web form's free JSON and any other caller.
        if (StrictJson.FirstInvalidText(data) is { } path) throw ValidationException.For(path, StrictJson.InvalidTextMessage, ProblemCodes.InvalidUnicode);
        // The element's own UTF-8 bytes: the size of its text without copying it out as a string.
        var size = JsonMarshal.GetRawUtf8Value(data).Length;
        if (size > limits.MaxRecordBytes)
            throw new RecordTooLargeException($"the record is {size} bytes; the limit is {limits.MaxRecordBytes}");
        RecordSchema.For(dataset.Schema).EnsureValid(data);
    }
}

/// <summary>A record over the configured size limit; nothing was stored.</summary>
public sealed class RecordTooLargeException(string detail) : CommonsException(ProblemCodes.RecordTooLarge, "Record too large", detail);
