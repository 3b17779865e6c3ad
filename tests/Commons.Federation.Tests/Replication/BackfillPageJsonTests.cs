using System.Text;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Replication;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// The outbox's JSON page is written straight from the signed items (<see cref="BackfillPageJson"/>): the same bytes the
/// page document built from nodes gave, each item without its own @context, and a follower checks every proof on it.
/// </summary>
public sealed class BackfillPageJsonTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public BackfillPageJsonTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < 7; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"o{i}", ReplicationRig.Data($$$"""{"title":"Salle à prêter <{{{i}}}> & \"co\" 🚲","n":{{{i}}}.50,"tags":["é",null,true],"nested":{"k":[1e3]}}"""));
    }

    public void Dispose() => _rig.Dispose();

    /// <summary>The page as the outbox wrote it before: the collection page document of copied items, serialised whole.</summary>
    private static byte[] AsDocument(BackfillFeed.Page page, string outbox, long number)
    {
        var doc = CollectionDocuments.OrderedCollectionPage($"{outbox}?page={number}", outbox, page.Items, page.Next is { } next ? $"{outbox}?page={next}" : null);
        doc[ActivityStreamsContext.Last] = page.Last;
        doc[ActivityStreamsContext.LastSeq] = page.LastSeq;
        return Encoding.UTF8.GetBytes(ActivityStreamsContext.SerializeToString(doc));
    }

    [Theory]
    [InlineData(0, 3)]     // a page with a next one
    [InlineData(3, 1000)]  // the last page
    [InlineData(7, 10)]    // past the end: no items
    public void The_page_is_the_bytes_of_the_page_document(long after, int limit)
    {
        var page = _rig.Backfill.Read(_dataset, after, limit);
        var outbox = _rig.Uris.DatasetOutbox("offers");
        Assert.Equal(Encoding.UTF8.GetString(AsDocument(page, outbox, after)), Encoding.UTF8.GetString(BackfillPageJson.Write(page, outbox, after).Span));
    }

    [Fact]
    public async Task Items_leave_their_context_to_the_page_and_a_follower_verifies_every_proof()
    {
        var page = _rig.Backfill.Read(_dataset, 0, 1000);
        var bytes = BackfillPageJson.Write(page, _rig.Uris.DatasetOutbox("offers"), 0).ToArray();

        // The page's @context, and each activity's proof's (a proof carries the @context it was made with); no item's own.
        Assert.Equal(1 + page.Items.Count, Encoding.UTF8.GetString(bytes).Split("\"@context\":").Length - 1);
        Assert.All(page.Items, i => Assert.True(i.ContainsKey("@context"))); // read, not changed
        var (items, last, next) = BackfillBatch.DecodeJson(bytes);
        Assert.Equal(7, items.Count);
        Assert.Null(next);
        var outcome = await _rig.Applier.ApplyPageAsync(_rig.Subscribe("offers"), items, last, done: true, CancellationToken.None);
        Assert.Equal(7, outcome.Applied);
        Assert.Null(outcome.RefusedAt);
    }
}
