using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Tests.Http;
using Commons.Federation.Tests.Replication;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Exchanges;

/// <summary>
/// What modules use of requests between nodes (<see cref="ExchangeGateway"/>), on A's real stores: a request a handler
/// left pending is answered once, signed by the asked dataset, and a second answer is a conflict that sends nothing;
/// the outgoing requests are listed by type and by the member who asked; nothing is sent while the node does not federate.
/// </summary>
public sealed class ExchangeGatewayTests : IDisposable
{
    private static readonly Caller Ann = new("ann", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    private readonly ReplicationRig _rig = new();
    private readonly LiteExchangeStore _exchanges;
    private readonly LiteDeliveryQueue _queue;
    private readonly IncomingRequests _requests;
    private readonly ExchangeAnswering _answering;
    private readonly ExchangeService _service;
    private bool _federating = true;

    private sealed class PendingHandler : IRequestHandler
    {
        public string Kind => DatasetKind.Custom;
        public string RequestType => "test.claim";
        public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct) => Task.FromResult(RequestDecision.Pending("a steward decides"));
    }

    public ExchangeGatewayTests()
    {
        _exchanges = new LiteExchangeStore(_rig.OriginDb);
        _queue = new LiteDeliveryQueue(_rig.OriginDb);
        var outbox = new Outbox(_queue, new WorkSignal(), _rig.Clock);
        _answering = new ExchangeAnswering(_exchanges, _rig.Proofs, outbox, _rig.Clock);
        _requests = new IncomingRequests(_rig.DatasetStore, _exchanges, [new PendingHandler()], DatasetKindRegistry.Empty, _rig.Actors, _rig.Verifier, _answering,
            _rig.Uris, _rig.Clock, NullLogger<IncomingRequests>.Instance);
        var http = HttpTest.Client(clock: _rig.Clock);
        _service = new ExchangeService(_exchanges, _rig.Datasets, DatasetKindRegistry.Empty, new RemoteDatasetLookup(_rig.Actors, new WebFingerClient(http, HttpTest.Signer), _rig.Uris),
            _rig.Proofs, outbox, _answering, _rig.Uris, new ExchangeOptions(), _rig.Clock);
        _rig.Dataset("asker");
    }

    public void Dispose() => _rig.Dispose();

    private ExchangeGateway Gateway() => new(_service, _exchanges, _answering, () => { if (!_federating) throw new ForbiddenException("federation is off"); });

    private async Task<string> PendingRequest()
    {
        _rig.Dataset("rooms");
        var request = _rig.Proofs.Sign("asker", ExchangeActivities.Request(_rig.ActorOf("asker"), _rig.ActorOf("rooms"), "test.claim",
            ReplicationRig.Data("""{"slot":"mon-9"}"""), Guid.NewGuid(), _rig.Clock.GetUtcNow()));
        var id = (string)request["id"]!;
        Assert.Equal("request test.claim pending", await _requests.ReceiveAsync(
            new InboxActivity(id, new ActivityKey("Offer", ActivityStreamsContext.Request), _rig.ActorOf("asker"), ReplicationRig.Element(request)), CancellationToken.None));
        return id;
    }

    private List<Core.Federation.DeliveryItem> Answers() => _queue.List(false, 100).Where(d => d.Inbox == _rig.ActorOf("asker") + "/inbox").ToList();

    [Fact]
    public async Task A_pending_request_is_answered_once_by_the_asked_dataset_and_a_second_answer_is_a_conflict_that_sends_nothing()
    {
        var id = await PendingRequest();
        var gateway = Gateway();
        Assert.Empty(Answers());

        var answered = gateway.AnswerPending(id, RequestDecision.Accept(ReplicationRig.Data("""{"booking":"b1"}""")), "steward");
        Assert.Equal((ExchangeState.Accepted, "steward"), (answered.State, answered.AnsweredBy));
        Assert.Equal(ExchangeState.Accepted, gateway.Find(id)!.State);
        var answer = Assert.Single(Answers());
        Assert.Equal(("rooms", "Accept"), (answer.Sender, answer.ActivityType));
        Assert.True((await _rig.Verifier.VerifyAsync(JsonNode.Parse(answer.ActivityJson)!.AsObject(), _rig.ActorOf("rooms"), CancellationToken.None)).IsValid);

        var again = Assert.Throws<ConflictException>(() => gateway.AnswerPending(id, RequestDecision.Refuse("room_taken", "taken"), "other"));
        Assert.Equal(ProblemCodes.ExchangeNotPending, again.Code);
        Assert.Single(Answers());
        Assert.Equal((ExchangeState.Accepted, "steward"), (gateway.Find(id)!.State, gateway.Find(id)!.AnsweredBy));

        // Nothing to answer: an id nobody sent, one of our own requests.
        Assert.Equal(ProblemCodes.ExchangeNotPending, Assert.Throws<ConflictException>(() => gateway.AnswerPending("http://x.test/actor#requests/none", RequestDecision.Accept(), "s")).Code);
        Assert.Null(gateway.Find("http://x.test/actor#requests/none"));
    }

    [Fact]
    public async Task A_refusal_without_a_code_is_request_refused()
    {
        var id = await PendingRequest();
        var refused = Gateway().AnswerPending(id, new RequestDecision(ExchangeState.Refused, Detail: "no"), "steward");
        Assert.Equal((ExchangeState.Refused, ProblemCodes.RequestRefused), (refused.State, refused.Code));
        Assert.Equal("Reject", Assert.Single(Answers()).ActivityType);
        Assert.Throws<ArgumentException>(() => Gateway().AnswerPending(id, RequestDecision.Pending(), "steward"));
    }

    [Fact]
    public void Outgoing_requests_are_listed_by_type_and_by_the_member_who_asked_newest_first()
    {
        Exchange Sent(int n, string type, string by, ExchangeDirection direction = ExchangeDirection.Outgoing) => new()
        {
            Id = $"http://b.test/actor#requests/{n}", Direction = direction, DatasetSlug = direction == ExchangeDirection.Incoming ? "rooms" : null,
            TargetActor = "http://a.test/datasets/rooms", RequesterActor = "http://b.test/actor", PeerInbox = "http://a.test/datasets/rooms/inbox",
            RequestType = type, Kind = "place.resources", Body = ReplicationRig.Data("{}"), RequestedBy = by, CreatedAt = _rig.Clock.GetUtcNow().AddMinutes(n),
        };
        foreach (var e in new[]
        {
            Sent(1, "place.book", "ann"), Sent(2, "place.cancel", "ann"), Sent(3, "place.book", "bob"), Sent(4, "place.book", "ann"),
            Sent(5, "place.book", "ann", ExchangeDirection.Incoming),
        })
            Assert.True(_exchanges.TryAdd(e));

        string Ids(IReadOnlyList<Exchange> list) => string.Join(' ', list.Select(e => e.Id[^1..]));
        var gateway = Gateway();
        Assert.Equal("4 1", Ids(gateway.Outgoing("place.book", "ann", 10)));
        Assert.Equal("4 3 1", Ids(gateway.Outgoing("place.book", null, 10)));
        Assert.Equal("2", Ids(gateway.Outgoing("place.cancel", null, 10)));
        Assert.Equal("4", Ids(gateway.Outgoing("place.book", "ann", 1)));
        Assert.Equal("", Ids(gateway.Outgoing("place.book", "carl", 10)));
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_node_does_not_federate()
    {
        _federating = false;
        await Assert.ThrowsAsync<ForbiddenException>(() => Gateway().SendAsync(Ann, _rig.ActorOf("rooms"), "test.claim", ReplicationRig.Data("{}"), CancellationToken.None));
        Assert.Empty(_exchanges.List(new ExchangeQuery { All = true }).Items);
        Assert.Empty(_queue.List(false, 100));
    }
}
