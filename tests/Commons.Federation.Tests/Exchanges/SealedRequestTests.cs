using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Http;
using Commons.Federation.Tests.Http;
using Commons.Federation.Tests.Replication;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Exchanges;

/// <summary>
/// A request type a kind seals (a ballot) is listed and shown by the exchanges service without its data or signed
/// original, administrators included, while the store keeps both whole — also through a steward's answer, which
/// writes the exchange back.
/// </summary>
public sealed class SealedRequestTests : IDisposable
{
    private sealed class BallotsKind : DatasetKind
    {
        public override string Name => "test.ballots";
        public override int SchemaVersion => 1;
        public override string Schema => DatasetRules.OpenSchema;
        public override LocalizedText Title => new(null, null, "Ballots");
        public override IReadOnlySet<string> SealedRequestTypes { get; } = new HashSet<string> { "test.vote" };
    }

    private readonly ReplicationRig _rig = new();
    private readonly LiteExchangeStore _exchanges;
    private readonly ExchangeService _service;

    public SealedRequestTests()
    {
        _exchanges = new LiteExchangeStore(_rig.OriginDb);
        var outbox = new Outbox(new LiteDeliveryQueue(_rig.OriginDb), new WorkSignal(), _rig.Clock);
        var answering = new ExchangeAnswering(_exchanges, _rig.Proofs, outbox, _rig.Clock);
        var http = HttpTest.Client(clock: _rig.Clock);
        _service = new ExchangeService(_exchanges, _rig.Datasets, new DatasetKindRegistry([new BallotsKind()]),
            new RemoteDatasetLookup(_rig.Actors, new WebFingerClient(http, HttpTest.Signer), _rig.Uris), _rig.Proofs, outbox, answering, _rig.Uris,
            new ExchangeOptions(), _rig.Clock);
        _rig.Dataset("proposals");
    }

    public void Dispose() => _rig.Dispose();

    private Exchange Incoming(string type, string body) => new()
    {
        Id = $"https://peer.example/requests/{Guid.NewGuid():N}", Direction = ExchangeDirection.Incoming, DatasetSlug = "proposals",
        TargetActor = _rig.ActorOf("proposals"), RequesterActor = "https://peer.example/actor", PeerInbox = "https://peer.example/inbox",
        RequestType = type, Kind = "test.ballots", State = ExchangeState.Pending, Body = ReplicationRig.Data(body),
        ReceivedJson = $$"""{"signed":{{body}}}""", CreatedAt = _rig.Clock.GetUtcNow(), HeldAt = _rig.Clock.GetUtcNow(),
    };

    [Fact]
    public void A_sealed_type_shows_no_data_to_anyone_and_the_store_keeps_it_through_an_answer()
    {
        var ballot = Incoming("test.vote", """{"option":"yes"}""");
        var other = Incoming("test.note", """{"text":"hello"}""");
        Assert.True(_exchanges.TryAdd(ballot));
        Assert.True(_exchanges.TryAdd(other));

        var listed = _service.List(ReplicationRig.Admin, ExchangeDirection.Incoming, null, null, 50).Items.ToDictionary(e => e.Id);
        Assert.Equal("{}", listed[ballot.Id].Body.GetRawText());
        Assert.Null(listed[ballot.Id].ReceivedJson);
        Assert.Equal("""{"text":"hello"}""", listed[other.Id].Body.GetRawText());
        Assert.Equal("{}", _service.Get(ReplicationRig.Admin, ballot.Ref).Body.GetRawText());

        var answered = _service.Answer(ReplicationRig.Admin, ballot.Ref, new ExchangeAnswerDraft(true, null, null, null));
        Assert.Equal((ExchangeState.Accepted, "{}"), (answered.State, answered.Body.GetRawText()));
        var stored = _exchanges.Find(ballot.Id)!;
        Assert.Equal((ExchangeState.Accepted, """{"option":"yes"}""", ballot.ReceivedJson), (stored.State, stored.Body.GetRawText(), stored.ReceivedJson));
    }
}
