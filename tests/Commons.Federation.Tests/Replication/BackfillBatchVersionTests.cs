using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;
using Commons.Federation.Tests.Http;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// Which backfill batch a follower gets, both ways across releases: our follower asks for v2 first and reads whichever
/// version the origin answers — v2 (record objects, one proof each), v1 (an origin of the previous release: signed
/// activities) or the JSON page — into the same replica; an origin asked only for v1 (a follower of the previous release)
/// answers v1. A's outbox is served over real HTTP on 127.0.0.1 from A's real <see cref="BackfillFeed"/>; B's real
/// <see cref="BackfillClient"/> verifies real proofs into a real LiteDB replica.
/// </summary>
public sealed class BackfillBatchVersionTests : IDisposable
{
    private const int Records = 25;
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;
    private readonly List<string?> _accepts = [];

    public BackfillBatchVersionTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < Records; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"o{i:D2}", ReplicationRig.Data($$"""{"title":"Salle {{i}}","n":{{i}}}"""));
        _rig.Records.Delete(ReplicationRig.Admin, "offers", "o03", null);
    }

    public void Dispose() => _rig.Dispose();

    /// <summary>The origin's outbox as a node of this release answers it (<paramref name="knowsV2"/>) or as one of the
    /// previous release does (v1 to any Accept naming it, else JSON).</summary>
    private void ServeOutbox(bool knowsV2, bool batches = true) =>
        _rig.Peer.Given(Request.Create().WithPath("/datasets/offers/outbox").UsingGet()).RespondWith(Response.Create().WithCallback(request =>
        {
            var accept = request.Headers?.TryGetValue("Accept", out var values) == true ? string.Join(", ", values) : null;
            lock (_accepts) _accepts.Add(accept);
            var after = long.Parse(request.Query!["page"][0], System.Globalization.CultureInfo.InvariantCulture);
            var limit = int.Parse(request.Query["limit"][0], System.Globalization.CultureInfo.InvariantCulture);
            var asked = batches ? BackfillBatch.Negotiate(accept) : null;
            if (asked == BackfillBatch.RecordObjectsMediaType && !knowsV2) asked = accept!.Contains(BackfillBatch.MediaType, StringComparison.OrdinalIgnoreCase) ? BackfillBatch.MediaType : null;
            var (body, type) = asked switch
            {
                BackfillBatch.RecordObjectsMediaType => (BackfillBatch.Encode(_rig.Backfill.ReadRecordObjects(_dataset, after, limit)), asked),
                BackfillBatch.MediaType => (BackfillBatch.Encode(_rig.Backfill.Read(_dataset, after, limit)), asked),
                _ => (BackfillPageJson.Write(_rig.Backfill.Read(_dataset, after, limit), _rig.Uris.DatasetOutbox("offers"), after).ToArray(), BackfillPageJson.ContentType),
            };
            var response = new ResponseMessage { StatusCode = 200 };
            response.BodyData = new WireMock.Util.BodyData { BodyAsBytes = body, DetectedBodyType = WireMock.Types.BodyType.Bytes };
            response.AddHeader("Content-Type", type);
            return response;
        }));

    private async Task<Subscription> BackfillAsync()
    {
        var subscription = _rig.Subscribe("offers");
        using var http = HttpTest.Client(clock: _rig.Clock);
        var client = new BackfillClient(_rig.Subscriptions, _rig.Actors, http, HttpTest.Signer, _rig.Applier, new RetrySchedule(), _rig.Clock, NullLogger<BackfillClient>.Instance)
        {
            PageSize = 10,
        };
        for (var round = 0; round < 10 && _rig.Subscriptions.Find(subscription.Id) is { BackfillDone: false }; round++)
            await client.RunOnceAsync(CancellationToken.None);
        var stored = _rig.Subscriptions.Find(subscription.Id)!;
        Assert.True(stored.BackfillDone, stored.BackfillError);
        Assert.Equal(Records - 1, _rig.Replicas.Count(subscription.Id)); // the live ones
        Assert.True(_rig.Replicas.Get(subscription.Id, "o03")!.Deleted);
        Assert.All(_rig.Replicas.List(subscription.Id, null, 100), r => Assert.True(r.ProofVerified));
        Assert.All(_accepts, a => Assert.StartsWith(BackfillBatch.RecordObjectsMediaType + ", " + BackfillBatch.MediaType, a));
        return subscription;
    }

    [Fact]
    public async Task Our_follower_gets_v2_from_an_origin_of_this_release_and_stores_no_activity_id()
    {
        ServeOutbox(knowsV2: true);
        var subscription = await BackfillAsync();
        Assert.All(_rig.Replicas.List(subscription.Id, null, 100), r => Assert.Null(r.ActivityId));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Our_follower_backfills_from_an_origin_of_the_previous_release(bool batches)
    {
        // It answers v1 batches (or, with batches off, the JSON page): whole activities, whose ids the replica keeps.
        ServeOutbox(knowsV2: false, batches);
        var subscription = await BackfillAsync();
        Assert.All(_rig.Replicas.List(subscription.Id, null, 100), r => Assert.StartsWith(_rig.ActorOf("offers") + "/changes/", r.ActivityId));
    }

    [Theory]
    [InlineData("application/vnd.commons-node.batch+msgpack, application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"", BackfillBatch.MediaType)]
    [InlineData(BackfillBatch.Accept, BackfillBatch.RecordObjectsMediaType)]
    [InlineData("application/vnd.commons-node.batch.v2+msgpack", BackfillBatch.RecordObjectsMediaType)]
    [InlineData("application/activity+json", null)]
    [InlineData(null, null)]
    public void The_version_an_accept_header_asks_for(string? accept, string? version) =>
        Assert.Equal(version, BackfillBatch.Negotiate(accept));
}
