using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Replication;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// A JSON backfill page drops its items' @context (they inherit the page's): the client parses the page once and checks each
/// item's proofs with the page's context given once. The page applies whole; a page whose context is not the one the
/// proofs were made with stores nothing (consent: an item whose proof fails is never stored).
/// </summary>
public sealed class JsonPageContextTests : IDisposable
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public JsonPageContextTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < 30; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"r{i:00}", ReplicationRig.Data($$"""{"title":"Salle à prêter — vergaderzaal «{{i}}»","emoji":"🚲","n":{{i}}}"""));
    }

    public void Dispose() => _rig.Dispose();

    /// <summary>The page as the node's outbox endpoint writes it, its @context changed by <paramref name="context"/>.</summary>
    private byte[] Page(Action<JsonObject>? context = null)
    {
        var page = _rig.Backfill.Read(_dataset, 0, 1000);
        var outbox = _rig.Uris.DatasetOutbox("offers");
        var doc = CollectionDocuments.OrderedCollectionPage($"{outbox}?page=0", outbox, page.Items, null);
        doc[ActivityStreamsContext.Last] = page.Last;
        doc[ActivityStreamsContext.LastSeq] = page.LastSeq;
        context?.Invoke(doc);
        return Encoding.UTF8.GetBytes(doc.ToJsonString(Relaxed));
    }

    [Fact]
    public async Task A_JSON_page_applies_whole_with_its_context_given_once()
    {
        var (items, context, last, next) = BackfillBatch.DecodeJsonPage(Page());
        Assert.Null(next);
        Assert.All(items, i => Assert.False(i.TryGetProperty("@context", out _)));
        Assert.Equal(JsonValueKind.Array, context.ValueKind);

        var subscription = _rig.Subscribe("offers");
        var outcome = await _rig.Applier.ApplyPageAsync(subscription, items, context, last, done: true, CancellationToken.None);

        Assert.Equal(30, outcome.Applied);
        Assert.Equal(DatasetDigest.Of(_rig.RecordStore, _dataset), DatasetDigest.Of(_rig.Replicas.Revisions(subscription.Id)));
    }

    [Fact]
    public async Task The_record_object_is_kept_as_the_origin_wrote_it_escapes_included()
    {
        // Another origin's writer: every non-ASCII character escaped (\u00e9). The proofs sign the canonical form, the same either way.
        var escaped = Encoding.UTF8.GetBytes(JsonNode.Parse(Page())!.ToJsonString());
        var (items, context, last, _) = BackfillBatch.DecodeJsonPage(escaped);
        var subscription = _rig.Subscribe("offers");

        Assert.Equal(30, (await _rig.Applier.ApplyPageAsync(subscription, items, context, last, done: true, CancellationToken.None)).Applied);

        var sent = items.Select(i => i.GetProperty("object")).ToDictionary(o => o.GetProperty("id").GetString()!, o => o.GetRawText());
        Assert.All(_rig.Replicas.List(subscription.Id, null, 100), r =>
        {
            Assert.Equal(sent[r.ObjectUri], r.SignedObject);
            Assert.Contains("\\u00E0", r.SignedObject);
        });
    }

    [Theory]
    [InlineData("replaced")]
    [InlineData("dropped")]
    public async Task A_JSON_page_whose_context_is_not_the_signed_one_stores_nothing(string change)
    {
        var bytes = Page(doc =>
        {
            if (change == "dropped") doc.Remove("@context");
            else doc["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams");
        });
        var (items, context, last, _) = BackfillBatch.DecodeJsonPage(bytes);

        var subscription = _rig.Subscribe("offers");
        var outcome = await _rig.Applier.ApplyPageAsync(subscription, items, context, last, done: true, CancellationToken.None);

        Assert.Equal(0, outcome.RefusedAt);
        Assert.Contains("proof", outcome.Detail);
        Assert.Equal(0, _rig.Replicas.Count(subscription.Id));
        Assert.Equal(0, _rig.Subscriptions.Find(subscription.Id)!.BackfillAfter);
    }
}
