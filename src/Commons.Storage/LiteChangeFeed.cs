using Commons.Core.Changes;
using Commons.Core.Records;
using LiteDB;

namespace Commons.Storage;

public sealed class LiteChangeFeed(CommonsDatabase database) : IChangeFeed
{
    public IReadOnlyList<Change> Since(int datasetKey, long afterSeq, int limit) =>
        database.Db.GetCollection(ChangeLog.CollectionOf(datasetKey))
            .Find(Query.GT("_id", afterSeq), limit: limit)
            .Select(ChangeLog.FromBson).ToList();

    public long LastSeq(int datasetKey) => ChangeLog.LastSeq(database.Db.GetCollection(ChangeLog.CollectionOf(datasetKey)));
}
