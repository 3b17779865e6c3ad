using Commons.Core.Changes;
using Commons.Core.Schemas;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The integrity scan behind <c>commons-node check</c>: every dataset's feed runs 1..N without gaps, every record's
/// revision is the one its last change names, every change points at a record, and records meet their schema.
/// </summary>
public static class StoreChecker
{
    public sealed record Report(int Datasets, long Records, long Changes, IReadOnlyList<string> Problems)
    {
        public bool Ok => Problems.Count == 0;
    }

    public static Report Run(CommonsDatabase database)
    {
        var problems = new List<string>();
        long recordCount = 0, changeCount = 0;
        IReadOnlyList<Core.Datasets.Dataset> datasets;
        using (database.BeginSnapshot())
        {
            datasets = new LiteDatasetStore(database).List();
            foreach (var d in datasets)
            {
                var records = database.Db.GetCollection(LiteRecordStore.RecordsOf(d.Key));
                var changes = database.Db.GetCollection(ChangeLog.CollectionOf(d.Key));
                var lastRevision = new Dictionary<string, long>();
                long expected = 1;
                foreach (var c in changes.FindAll().Select(ChangeLog.FromBson))
                {
                    if (c.Seq != expected) { problems.Add($"{d.Slug}: change {expected} is missing (next is {c.Seq})"); expected = c.Seq; }
                    expected++;
                    changeCount++;
                    if (c.RecordId is { } id && c.Revision is { } rev)
                    {
                        if (lastRevision.TryGetValue(id, out var prev) && rev <= prev)
                            problems.Add($"{d.Slug}: change {c.Seq} gives record {id} revision {rev} after {prev}");
                        lastRevision[id] = rev;
                    }
                }
                RecordSchema? schema = null;
                try { schema = RecordSchema.For(d.Schema); }
                catch (Core.Errors.ValidationException e) { problems.Add($"{d.Slug}: its schema no longer compiles: {e.Message}"); }
                foreach (var doc in records.FindAll())
                {
                    var r = RecordBson.FromBson(doc);
                    recordCount++;
                    if (!lastRevision.Remove(r.Id, out var rev)) problems.Add($"{d.Slug}: record {r.Id} has no change in the feed");
                    else if (rev != r.Revision) problems.Add($"{d.Slug}: record {r.Id} is at revision {r.Revision} but its last change says {rev}");
                    if (!r.Deleted && schema is not null && schema.Validate(r.Data) is { Count: > 0 } errors)
                        problems.Add($"{d.Slug}: record {r.Id} fails the schema at {errors[0].Path}: {errors[0].Message}");
                }
                foreach (var orphan in lastRevision.Keys)
                    problems.Add($"{d.Slug}: the feed names record {orphan}, which is not stored");
            }
        }
        return new Report(datasets.Count, recordCount, changeCount, problems);
    }
}
