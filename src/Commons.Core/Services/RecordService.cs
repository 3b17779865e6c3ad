using System.Text;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Json;
using Commons.Core.Records;
using Commons.Core.Schemas;

namespace Commons.Core.Services;

/// <summary>Reading and writing records: access, schema, limits, revisions and optimistic concurrency.</summary>
public sealed class RecordService(DatasetService datasets, IRecordStore records, IChangeFeed feed, RecordLimits limits, TimeProvider clock,
    IChangeNotifier? notifier = null)
{
    private readonly IChangeNotifier _notifier = notifier ?? NoChangeNotifier.Instance;

    public Record Get(Caller caller, string slug, string id)
    {
        var dataset = datasets.Get(caller, slug);
        var record = records.Get(dataset.Key, id);
        if (record is null || record.Deleted) throw new NotFoundException($"no record '{id}' in '{slug}'");
        return record;
    }

    public RecordPage List(Caller caller, string slug, RecordQuery query)
    {
        var dataset = datasets.Get(caller, slug);
        return records.Query(dataset.Key, query with { Limit = Math.Clamp(query.Limit, 1, limits.MaxPageSize) });
    }

    public (Dataset Dataset, IReadOnlyList<Change> Changes) Changes(Caller caller, string slug, long afterSeq, int limit)
    {
        var dataset = datasets.Get(caller, slug);
        return (dataset, feed.Since(dataset.Key, afterSeq, Math.Clamp(limit, 1, limits.MaxPageSize)));
    }

    public (Record Record, Change? Change) Create(Caller caller, string slug, string? id, JsonElement data, bool shared = true)
    {
        var dataset = datasets.Get(caller, slug, AccessLevel.Edit);
        Check(dataset, data);
        var now = clock.GetUtcNow();
        id = id is null ? RecordIds.New(now) : RecordIds.Check(id);
        var body = data.Clone();
        return Notified(dataset.Key, records.Commit(dataset.Key, id, current =>
        {
            if (current is { Deleted: false }) throw new ConflictException($"record '{id}' already exists in '{slug}'");
            var revision = (current?.Revision ?? 0) + 1;
            var record = new Record
            {
                Id = id, Revision = revision, Data = body, Shared = shared, SharedOnce = shared || (current?.SharedOnce ?? false),
                HiddenAtRevision = current?.HiddenAtRevision,
                CreatedAt = now, CreatedBy = caller.Username, UpdatedAt = now, UpdatedBy = caller.Username,
            };
            return new RecordMutation(record, new ChangeDraft(ChangeKind.Create, id, revision, caller.Username, now));
        }));
    }

    /// <summary>Replaces a record's data (and optionally its shared flag). A write identical to the stored state changes nothing.</summary>
    public (Record Record, Change? Change) Update(Caller caller, string slug, string id, JsonElement? data, bool? shared, long? expectedRevision)
    {
        var dataset = datasets.Get(caller, slug, AccessLevel.Edit);
        if (data is { } d) Check(dataset, d);
        var now = clock.GetUtcNow();
        var body = data?.Clone();
        return Notified(dataset.Key, records.Commit(dataset.Key, id, current =>
            {
                if (current is null || current.Deleted) throw new NotFoundException($"no record '{id}' in '{slug}'");
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
                    UpdatedAt = now, UpdatedBy = caller.Username,
                };
                // A change of the shared flag is a sharing change even when the data changed too: peers must learn to drop
                // (or to receive) the record, which an update of an unshared record would not tell them.
                var kind = sharedChanged ? ChangeKind.RecordSharing : ChangeKind.Update;
                return new RecordMutation(record, new ChangeDraft(kind, id, revision, caller.Username, now));
            }));
    }

    public (Record Tombstone, Change? Change) Delete(Caller caller, string slug, string id, long? expectedRevision)
    {
        var dataset = datasets.Get(caller, slug, AccessLevel.Edit);
        var now = clock.GetUtcNow();
        return Notified(dataset.Key, records.Commit(dataset.Key, id, current =>
        {
            if (current is null || current.Deleted) throw new NotFoundException($"no record '{id}' in '{slug}'");
            if (expectedRevision is { } rev && rev != current.Revision)
                throw new PreconditionFailedException($"record '{id}' is at revision {current.Revision}, not {rev}", current.Revision);
            var revision = current.Revision + 1;
            var tombstone = current with
            {
                Revision = revision, Data = default, Deleted = true, DeletedAt = now, UpdatedAt = now, UpdatedBy = caller.Username,
                HiddenAtRevision = current.Shared ? revision : current.HiddenAtRevision,
            };
            return new RecordMutation(tombstone, new ChangeDraft(ChangeKind.Delete, id, revision, caller.Username, now));
        }));
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
        var size = Encoding.UTF8.GetByteCount(data.GetRawText());
        if (size > limits.MaxRecordBytes)
            throw new RecordTooLargeException($"the record is {size} bytes; the limit is {limits.MaxRecordBytes}");
        RecordSchema.For(dataset.Schema).EnsureValid(data);
    }
}

/// <summary>A record over the configured size limit; nothing was stored.</summary>
public sealed class RecordTooLargeException(string detail) : CommonsException(ProblemCodes.RecordTooLarge, "Record too large", detail);
