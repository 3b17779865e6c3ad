using System.Text.Json;
using Commons.Core.Federation;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Storage.Tests;

/// <summary>Replica reads (count, list, revisions) while another thread applies changes: no read fails.</summary>
public sealed class ReplicaConcurrencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("commons-replica-race-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Counting_and_listing_a_replica_while_it_is_being_written_never_fails()
    {
        using var db = CommonsDatabase.Open(_dir);
        var store = new LiteReplicaStore(db);
        using var data = JsonDocument.Parse("""{"name":"x"}""");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 3000 && !stop.IsCancellationRequested; i++)
                store.ApplyIfNewer(new ReplicaRecord { SubscriptionId = "sub1", RecordId = $"r{i:D5}", ObjectUri = $"http://a/records/r{i}", Revision = 1, Data = data.RootElement, ReceivedAt = DateTimeOffset.UtcNow });
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                store.Count("sub1");
                store.List("sub1", null, 50, "x");
                _ = store.Revisions("sub1").Count();
            }
        })).ToList();
        await writer;
        await Task.WhenAll(readers);
        Assert.Equal(3000, store.Count("sub1"));
    }
}
