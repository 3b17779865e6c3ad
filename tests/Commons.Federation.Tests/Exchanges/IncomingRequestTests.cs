using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;
using Commons.Federation.Tests.Replication;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Exchanges;

/// <summary>
/// The asked node's handler of requests (A), the requester being another actor a peer serves with its keys: a request
/// proven by its signer is stored, decided by the kind's handler and answered by the dataset through the delivery queue;
/// the same id again is answered again, identically, without deciding again; what is not proven by the signer, not
/// addressed to a shared dataset, or malformed leaves nothing.
/// </summary>
public sealed class IncomingRequestTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly LiteExchangeStore _exchanges;
    private readonly LiteDeliveryQueue _queue;
    private readonly Handler _handler = new();
    private readonly IncomingRequests _requests;

    private sealed class Handler : IRequestHandler
    {
        public Func<IncomingRequest, RequestDecision> Decide { get; set; } = _ => RequestDecision.Accept();
        public int Calls { get; private set; }
        public string KindName { get; init; } = DatasetKind.Custom;
        public string Kind => KindName;
        public string RequestType => "test.claim";

        public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult(Decide(request));
        }
    }

    public IncomingRequestTests()
    {
        _exchanges = new LiteExchangeStore(_rig.OriginDb);
        _queue = new LiteDeliveryQueue(_rig.OriginDb);
        var answering = new ExchangeAnswering(_exchanges, _rig.Proofs, new Outbox(_queue, new WorkSignal(), _rig.Clock), _rig.Clock);
        _requests = new IncomingRequests(_rig.DatasetStore, _exchanges, [_handler], DatasetKindRegistry.Empty, _rig.Actors, _rig.Verifier, answering,
            _rig.Uris, _rig.Clock, NullLogger<IncomingRequests>.Instance);
        _rig.Dataset("asker"); // the requesting actor: served with its keys, as a peer node's actor would be
    }

    public void Dispose() => _rig.Dispose();

    private string Asker => _rig.ActorOf("asker");

    private JsonObject Request(string slug, string type = "test.claim", string provenBy = "asker") =>
        _rig.Proofs.Sign(provenBy, ExchangeActivities.Request(Asker, _rig.ActorOf(slug), type, ReplicationRig.Data("""{"slot":"mon-9"}"""), Guid.NewGuid(), _rig.Clock.GetUtcNow()));

    private Task<string> Receive(JsonObject request, string? signer = null) =>
        _requests.ReceiveAsync(new InboxActivity((string)request["id"]!, new ActivityKey("Offer", ActivityStreamsContext.Request), signer ?? Asker,
            ReplicationRig.Element(request)), CancellationToken.None);

    private IReadOnlyList<Core.Federation.DeliveryItem> Answers() => _queue.List(false, 100).Where(d => d.Inbox == Asker + "/inbox").ToList();

    [Fact]
    public async Task A_request_is_decided_stored_and_answered_by_the_dataset_and_a_replay_gets_the_same_answer()
    {
        _rig.Dataset("rooms");
        var request = Request("rooms");

        Assert.Equal("request test.claim accepted", await Receive(request));
        var stored = _exchanges.Find((string)request["id"]!)!;
        Assert.Equal((ExchangeDirection.Incoming, "rooms", Asker, ExchangeState.Accepted), (stored.Direction, stored.DatasetSlug, stored.RequesterActor, stored.State));
        var answer = Assert.Single(Answers());
        Assert.Equal(("rooms", "Accept"), (answer.Sender, answer.ActivityType));
        var json = JsonNode.Parse(answer.ActivityJson)!;
        Assert.Equal(((string)request["id"]!, _rig.ActorOf("rooms")), ((string?)json["inReplyTo"], (string?)json["actor"]));
        Assert.True((await _rig.Verifier.VerifyAsync(json.AsObject(), _rig.ActorOf("rooms"), CancellationToken.None)).IsValid);

        Assert.Equal("repeated: answered again", await Receive(request));
        Assert.Equal(1, _handler.Calls);
        Assert.Equal([answer.ActivityJson, answer.ActivityJson], Answers().Select(a => a.ActivityJson));
        Assert.Equal(stored.AnsweredAt, _exchanges.Find((string)request["id"]!)!.AnsweredAt);
    }

    [Fact]
    public async Task The_request_is_kept_as_signed_for_the_handler_and_the_exchange_and_its_proof_checks_again_later()
    {
        _rig.Dataset("rooms");
        string? seen = null;
        _handler.Decide = r => { seen = r.SignedJson; return RequestDecision.Accept(); };
        var request = Request("rooms");
        await Receive(request);

        var kept = _exchanges.Find((string)request["id"]!)!.ReceivedJson;
        Assert.NotNull(kept);
        Assert.Equal(kept, seen);
        var proofs = new ModuleObjectProofs(_rig.Proofs, _rig.Verifier, _rig.Uris);
        Assert.True((await proofs.VerifyAsync(ReplicationRig.Data(kept!), Asker, CancellationToken.None)).Valid);
        // The same bytes with one field changed no longer prove anything; nor does another actor's claim to them.
        var altered = JsonNode.Parse(kept!)!.AsObject();
        altered["object"]!["commons:data"] = JsonNode.Parse("""{"slot":"tue-9"}""");
        Assert.Equal("bad_signature", (await proofs.VerifyAsync(ReplicationRig.Element(altered), Asker, CancellationToken.None)).Failure);
        Assert.False((await proofs.VerifyAsync(ReplicationRig.Data(kept!), _rig.ActorOf("rooms"), CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task A_refusal_carries_the_code_of_the_rule_the_unknown_type_or_the_handlers_exception()
    {
        _rig.Dataset("rooms");
        _handler.Decide = _ => throw new ForbiddenException("only followers may book");
        Assert.Equal("request test.claim refused: forbidden", await Receive(Request("rooms")));
        Assert.Equal("request other.thing refused: request_unsupported", await Receive(Request("rooms", "other.thing")));
        _handler.Decide = _ => RequestDecision.Refuse("slot_taken", "taken");
        Assert.Equal("request test.claim refused: slot_taken", await Receive(Request("rooms")));
        // Queued in the same instant, the answers have no order among themselves: compared as a set.
        Assert.Equal(["forbidden", "request_unsupported", "slot_taken"],
            Answers().Select(a => (string?)JsonNode.Parse(a.ActivityJson)![ActivityStreamsContext.Code]).Order(StringComparer.Ordinal));
        Assert.All(Answers(), a => Assert.Equal("Reject", a.ActivityType));
    }

    [Fact]
    public async Task A_pending_decision_is_stored_and_nothing_is_sent_until_a_steward_answers()
    {
        _rig.Dataset("rooms");
        _handler.Decide = _ => RequestDecision.Pending("a steward decides");
        var request = Request("rooms");
        Assert.Equal("request test.claim pending", await Receive(request));
        Assert.Equal((ExchangeState.Pending, "a steward decides"), (_exchanges.Find((string)request["id"]!)!.State, _exchanges.Find((string)request["id"]!)!.Detail));
        Assert.Empty(Answers());
        Assert.Equal("repeated: still pending, nothing to answer yet", await Receive(request));
        Assert.Equal(1, _handler.Calls);
        Assert.NotNull(_exchanges.Find((string)request["id"]!)!.HeldAt);
    }

    [Fact]
    public async Task A_request_stored_but_never_decided_is_decided_when_it_arrives_again_and_only_once()
    {
        // The node stopped after storing the exchange and before its handler decided: the sender's retry decides it.
        _rig.Dataset("rooms");
        var request = Request("rooms");
        var id = (string)request["id"]!;
        Assert.True(_exchanges.TryAdd(new Exchange
        {
            Id = id, Direction = ExchangeDirection.Incoming, DatasetSlug = "rooms", TargetActor = _rig.ActorOf("rooms"), RequesterActor = Asker,
            PeerInbox = Asker + "/inbox", RequestType = "test.claim", Kind = DatasetKind.Custom, State = ExchangeState.Pending,
            Body = ReplicationRig.Data("""{"slot":"mon-9"}"""), CreatedAt = _rig.Clock.GetUtcNow(),
        }));
        Assert.True(_exchanges.Find(id)!.Undecided);

        Assert.Equal("request test.claim accepted", await Receive(request));
        Assert.Equal("repeated: answered again", await Receive(request));
        Assert.Equal(1, _handler.Calls);
        Assert.Equal(ExchangeState.Accepted, _exchanges.Find(id)!.State);
        Assert.Equal(2, Answers().Count);
        Assert.Single(Answers().Select(a => a.ActivityJson).Distinct());
    }

    [Fact]
    public async Task The_same_request_delivered_twice_at_once_is_decided_once()
    {
        _rig.Dataset("rooms");
        var request = Request("rooms");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Receive(request))));
        Assert.Equal(1, _handler.Calls);
        Assert.Single(results, r => r == "request test.claim accepted");
    }

    [Fact]
    public async Task A_forged_misaddressed_or_malformed_request_leaves_nothing()
    {
        _rig.Dataset("rooms");
        var privateOne = _rig.Datasets.Create(ReplicationRig.Admin, new DatasetDraft
        {
            Slug = "hidden", Title = new LocalizedText(null, null, "Hidden"), Schema = ReplicationRig.SimpleSchema, Policy = SharingPolicy.Private,
        });
        var byAnother = Request("rooms", provenBy: "rooms");
        var unproven = ExchangeActivities.Request(Asker, _rig.ActorOf("rooms"), "test.claim", ReplicationRig.Data("{}"), Guid.NewGuid(), _rig.Clock.GetUtcNow());
        var noData = Request("rooms");
        noData["object"]!.AsObject().Remove(ActivityStreamsContext.Data);
        noData = _rig.Proofs.Sign("asker", noData);

        Assert.StartsWith("refused: the request's proof", await Receive(byAnother));
        Assert.StartsWith("refused: the request's proof", await Receive(unproven));
        Assert.StartsWith("refused: the actor is not the signer", await Receive(Request("rooms"), signer: _rig.ActorOf("rooms")));
        Assert.StartsWith("ignored: the target is not one of our shared datasets", await Receive(Request(privateOne.Slug)));
        Assert.StartsWith("ignored: the target is not one of our shared datasets", await Receive(Request("nowhere")));
        Assert.StartsWith("refused: the request's commons:data", await Receive(noData));

        Assert.Equal(0, _handler.Calls);
        Assert.Empty(_exchanges.List(new ExchangeQuery { All = true }).Items);
        Assert.Empty(Answers());
    }

    private sealed class SlotsKind : DatasetKind
    {
        public override string Name => "test.slots";
        public override int SchemaVersion => 1;
        public override string Schema => DatasetRules.OpenSchema;
        public override LocalizedText Title => new(null, null, "Slots");
    }

    private sealed class Switches(bool on) : Core.Modules.IModuleSwitches
    {
        public bool On { get; set; } = on;
        public bool IsOn(string module) => On && module == "test";
    }

    [Fact]
    public async Task A_request_to_a_kind_whose_module_is_off_is_refused_module_off_without_asking_its_handler()
    {
        var rooms = _rig.Dataset("slots");
        _rig.DatasetStore.Update(rooms with { Kind = "test.slots", KindVersion = 1 }, null);
        var handler = new Handler { KindName = "test.slots" };
        var switches = new Switches(on: false);
        var answering = new ExchangeAnswering(_exchanges, _rig.Proofs, new Outbox(_queue, new WorkSignal(), _rig.Clock), _rig.Clock);
        var requests = new IncomingRequests(_rig.DatasetStore, _exchanges, [handler], new DatasetKindRegistry([new SlotsKind()]), _rig.Actors,
            _rig.Verifier, answering, _rig.Uris, _rig.Clock, NullLogger<IncomingRequests>.Instance, switches);
        Task<string> Receive(JsonObject request) => requests.ReceiveAsync(
            new InboxActivity((string)request["id"]!, new ActivityKey("Offer", ActivityStreamsContext.Request), Asker, ReplicationRig.Element(request)),
            CancellationToken.None);

        Assert.Equal("request test.claim refused: module_off", await Receive(Request("slots")));
        Assert.Equal(0, handler.Calls);
        switches.On = true;
        Assert.Equal("request test.claim accepted", await Receive(Request("slots")));
        Assert.Equal(1, handler.Calls);
        var refusal = Assert.Single(Answers(), a => a.ActivityType == "Reject");
        Assert.Equal(ProblemCodes.ModuleOff, (string?)JsonNode.Parse(refusal.ActivityJson)![ActivityStreamsContext.Code]);
        Assert.Single(Answers(), a => a.ActivityType == "Accept");
    }
}
