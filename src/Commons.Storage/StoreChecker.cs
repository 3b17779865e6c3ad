using Commons.Core.Changes;
using Commons.Core.Federation;
using Commons.Core.Schemas;
using Commons.Core.Store;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The integrity scan behind <c>commons-node check</c>: every dataset's feed runs 1..N without gaps, every record's
/// revision is the one its last change names, every change points at a record, records meet their schema, each schema
/// passes today's save-time rules (no $ref cycle, bounded patterns), every grant names a member and a known role, each
/// dataset's live count matches its records, the shared collections hold nothing outside the datasets' ranges, and the
/// runtime domain rules hold only domain names.
/// </summary>
public static class StoreChecker
{
    /// <param name="pending">Migrations the store waits for, found by the caller (see <see cref="StoreCheckReport.Pending"/>).</param>
    public static StoreCheckReport Run(CommonsDatabase database, IReadOnlyList<string>? pending = null)
    {
        var problems = new List<string>();
        long recordCount = 0, changeCount = 0;
        IReadOnlyList<Core.Datasets.Dataset> datasets;
        using (database.BeginSnapshot())
        {
            datasets = new LiteDatasetStore(database).List();
            var records = database.Db.GetCollection(StoreLayout.Records);
            var changes = database.Db.GetCollection(StoreLayout.Changes);
            var counts = database.Db.GetCollection(StoreLayout.RecordCounts);
            foreach (var d in datasets)
            {
                var lastRevision = new Dictionary<string, long>();
                long expected = 1;
                foreach (var c in changes.Find(StoreLayout.ChangesOf(d.Key, 0)).Select(ChangeLog.FromBson))
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
                if (schema is not null)
                    foreach (var p in RecordSchema.ProblemsOf(d.Schema))
                        problems.Add($"{d.Slug}: its schema would be refused today at {p.Path}: {p.Message}");
                long live = 0;
                foreach (var doc in records.Find(StoreLayout.RecordsOf(d.Key)))
                {
                    var r = RecordBson.FromBson(doc);
                    recordCount++;
                    if (!r.Deleted) live++;
                    if (!lastRevision.Remove(r.Id, out var rev)) problems.Add($"{d.Slug}: record {r.Id} has no change in the feed");
                    else if (rev != r.Revision) problems.Add($"{d.Slug}: record {r.Id} is at revision {r.Revision} but its last change says {rev}");
                    if (!r.Deleted && schema is not null && schema.Validate(r.Data) is { Count: > 0 } errors)
                        problems.Add($"{d.Slug}: record {r.Id} fails the schema at {errors[0].Path}: {errors[0].Message}");
                }
                foreach (var orphan in lastRevision.Keys)
                    problems.Add($"{d.Slug}: the feed names record {orphan}, which is not stored");
                // The saved head plus what the feed's later changes did, as the store itself reads it after a reopen.
                var counted = FeedHead.Read(database.Db, d.Key).Live;
                if (counted != live) problems.Add($"{d.Slug}: its live record count says {counted}, but {live} records are live");
            }
            // Anything else in the shared collections belongs to no dataset (a dataset's documents are deleted with it).
            if (records.LongCount() - recordCount is var strayRecords and not 0) problems.Add($"{strayRecords} record documents belong to no dataset");
            if (changes.LongCount() - changeCount is var strayChanges and not 0) problems.Add($"{strayChanges} changes belong to no dataset");
            if (counts.LongCount() - datasets.Count(d => counts.FindById(d.Key) is not null) is var strayCounts and not 0)
                problems.Add($"{strayCounts} live record counts belong to no dataset");
            InvitationChecks.Run(database, problems);
            CheckGrants(database, problems);
            CheckDomainRules(database, problems);
        }
        return new StoreCheckReport(datasets.Count, recordCount, changeCount, problems, pending ?? []);
    }

    /// <summary>Every grant names a member with a known role (the dataset store leaves out any other).</summary>
    private static void CheckGrants(CommonsDatabase database, List<string> problems)
    {
        foreach (var doc in database.Db.GetCollection(LiteDatasetStore.Collection).FindAll())
        {
            var slug = doc["_id"].IsString ? doc["_id"].AsString : doc["_id"].ToString();
            if (!doc["grants"].IsArray) { problems.Add($"{slug}: its grants are not a list"); continue; }
            foreach (var grant in doc["grants"].AsArray.Where(g => !LiteDatasetStore.IsValidGrant(g)))
                problems.Add($"{slug}: the grant {grant} has no valid member and role (viewer, editor or steward)");
        }
    }

    /// <summary>The runtime domain rules must hold only entries the domain policy can read (a bad one would stop the node).</summary>
    private static void CheckDomainRules(CommonsDatabase database, List<string> problems)
    {
        if (!database.Db.CollectionExists(LiteDomainRuleStore.Collection)) return;
        var doc = database.Db.GetCollection(LiteDomainRuleStore.Collection).FindById(LiteDomainRuleStore.DocumentId);
        if (doc is null) return;
        foreach (var field in new[] { "blocked", "allowed" })
            if (!doc[field].IsArray || doc[field].AsArray.Any(v => !v.IsString))
            {
                problems.Add($"the domain rules document is damaged: '{field}' is not a list of names");
                return;
            }
        DomainRuleSettings rules;
        try { rules = LiteDomainRuleStore.FromBson(doc); }
        catch (InvalidCastException e) { problems.Add($"the domain rules document is damaged: {e.Message}"); return; }
        foreach (var (list, entries) in new[] { ("blocked", rules.Blocked), ("allowed", rules.Allowed) })
            foreach (var entry in entries)
                if (!DomainNames.TryNormalizeEntry(entry, out var name) || name != entry)
                    problems.Add($"the {list} domains hold '{entry}', which is not a normalised domain name");
    }
}
