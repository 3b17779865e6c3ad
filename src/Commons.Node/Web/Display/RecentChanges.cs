using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Core.Services;

namespace Commons.Node.Web.Display;

/// <summary>One record change in a local dataset, with the record as it is now (null once deleted: its data is gone).</summary>
public sealed record LocalChange(Dataset Dataset, Change Change, Record? Record, bool CanOpen);

/// <summary>The latest record changes across the datasets a member may see, newest first, read from each dataset's changes feed.</summary>
public static class RecentChanges
{
    private static readonly HashSet<ChangeKind> RecordKinds = [ChangeKind.Create, ChangeKind.Update, ChangeKind.Delete, ChangeKind.RecordSharing];

    public static IReadOnlyList<LocalChange> Of(Caller caller, IEnumerable<Dataset> visible, RecordService records, IChangeFeed feed, IRecordStore store, int count)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(store);
        var found = new List<(Dataset Dataset, Change Change)>();
        foreach (var candidate in visible)
        {
            // The feed also holds the dataset's own changes (sharing, profile): read a little more than asked, keep the records'.
            var last = feed.LastSeq(candidate.Key);
            if (last == 0) continue;
            var (dataset, changes) = records.Changes(caller, candidate.Slug, Math.Max(0, last - count * 2), count * 2);
            found.AddRange(changes.Where(c => RecordKinds.Contains(c.Kind) && c.RecordId is not null).Select(c => (dataset, c)));
        }
        return found.OrderByDescending(f => f.Change.At).ThenByDescending(f => f.Change.Seq).Take(count)
            .Select(f =>
            {
                var record = store.Get(f.Dataset.Key, f.Change.RecordId!);
                var live = record is { Deleted: false } ? record : null;
                var canOpen = live is not null && caller.CanWrite && DatasetAccess.LevelOf(caller, f.Dataset) >= AccessLevel.Edit;
                return new LocalChange(f.Dataset, f.Change, live, canOpen);
            })
            .ToList();
    }
}
