using Commons.Core.Changes;
using Commons.Core.Records;

namespace Commons.Storage;

public sealed class LiteChangeFeed(CommonsDatabase database) : IChangeFeed
{
    public IReadOnlyList<Change> Since(int datasetKey, long afterSeq, int limit) => database.Read(() =>
        ChangeLog.Since(ChangeLog.Collection(database.Db), datasetKey, afterSeq, limit).ToList());

    public long LastSeq(int datasetKey) => database.Read(() => ChangeLog.LastSeq(ChangeLog.Collection(database.Db), datasetKey));
}
