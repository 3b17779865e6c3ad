using System.Security.Cryptography;
using System.Text;
using Commons.Core.Datasets;
using Commons.Core.Records;

namespace Commons.Federation.Replication;

/// <summary>
/// The divergence check: a count and a SHA-256 over "id\nrevision\n" of every live shared record, in id order
/// (ordinal). Owner and follower compute it the same way; equal digests mean the replica holds exactly the shared state.
/// </summary>
public static class DatasetDigest
{
    public sealed record Value(long Count, string Hash);

    public static Value Of(IEnumerable<(string Id, long Revision)> records)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        foreach (var (id, revision) in records)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{id}\n{revision}\n"));
            count++;
        }
        return new Value(count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The owner's side: the dataset's live, shared records.</summary>
    public static Value Of(IRecordStore records, Dataset dataset) => Of(SharedRecords(records, dataset));

    /// <summary>How many live records peers may see (the outbox's totalItems): the digest's count without its hashing.</summary>
    public static long SharedCount(IRecordStore records, Dataset dataset) => SharedRecords(records, dataset).LongCount();

    private static IEnumerable<(string, long)> SharedRecords(IRecordStore records, Dataset dataset)
    {
        string? cursor = null;
        do
        {
            var page = records.Query(dataset.Key, new RecordQuery { IncludeUnshared = false, Limit = 500, Cursor = cursor });
            foreach (var r in page.Items) yield return (r.Id, r.Revision);
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
}
