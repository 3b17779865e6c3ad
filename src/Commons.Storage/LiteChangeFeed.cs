using Commons.Core.Changes;
using Commons.Core.Records;

namespace Commons.Storage;

/// <summary>Reads of the feed; they write nothing, so they reach the engine without moving the datasets epoch (<see cref="CommonsDatabase.Engine"/>).</summary>
public sealed class LiteChangeFeed(CommonsDatabase database) : IChangeFeed
{
    public IReadOnlyList<Change> Since(int datasetKey, long afterSeq, int limit) => database.Read(() =>
        ChangeLog.Since(ChangeLog.Collection(database.Engine), datasetKey, afterSeq, limit).ToList());

    public long LastSeq(int datasetKey) => database.Read(() => ChangeLog.LastSeq(ChangeLog.Collection(database.Engine), datasetKey));
}
