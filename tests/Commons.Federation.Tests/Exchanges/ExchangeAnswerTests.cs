using System.Text.Json.Nodes;
using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Exchanges;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;
using Commons.Federation.Tests.Replication;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Exchanges;

/// <summary>
/// The asking node's handler of answers (B), against a dataset of A whose actor and keys a peer serves: only the asked
/// dataset, proven by its own key, answering a request of ours, changes a pending exchange; a late answer is kept on an
/// expired one without changing it; a second answer changes nothing.
/// </summary>
public sealed class ExchangeAnswerTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly LiteExchangeStore _exchanges;
    private readonly ExchangeAnswers _answers;

    public ExchangeAnswerTests()
    {
        _exchanges = new LiteExchangeStore(_rig.FollowerDb);
        _answers = new ExchangeAnswers(_exchanges, _rig.Verifier, _rig.Clock);
    }

    public void Dispose() => _rig.Dispose();

    private Exchange Sent(string slug, int n = 1)
    {
        var exchange = new Exchange
        {
            Id = $"http://b.test/actor#requests/{slug}-{n}", Direction = ExchangeDirection.Outgoing, TargetActor = _rig.ActorOf(slug),
            RequesterActor = "http://b.test/actor", PeerInbox = _rig.ActorOf(slug) + "/inbox", RequestType = "place.book", Kind = "custom",
            Body = ReplicationRig.Data("""{"slot":"mon-9"}"""), RequestedBy = "ann", CreatedAt = _rig.Clock.GetUtcNow(), ExpiresAt = _rig.Clock.GetUtcNow().AddMinutes(5),
        };
        Assert.True(_exchanges.TryAdd(exchange));
        return exchange;
    }

    /// <summary>A's answer as A builds it, proven by <paramref name="provenBy"/> (the asked dataset unless forging).</summary>
    private JsonObject Answer(Exchange request, RequestDecision decision, string? provenBy = null)
    {
        var slug = _rig.Uris.DatasetSlugOfActor(request.TargetActor)!;
        return _rig.Proofs.Sign(provenBy ?? slug, ExchangeActivities.Answer(request, decision, Guid.NewGuid(), _rig.Clock.GetUtcNow()));
    }

    private Task<string> Receive(JsonObject answer, string? signer = null)
    {
        var json = ReplicationRig.Element(answer);
        var key = new ActivityKey(AsJson.Types(json)[0], ActivityStreamsContext.Request);
        return _answers.ReceiveAsync(new InboxActivity((string)answer["id"]!, key, signer ?? (string)answer["actor"]!, json), CancellationToken.None);
    }

    [Fact]
    public async Task The_asked_dataset_accepts_with_a_result_or_refuses_with_its_code()
    {
        _rig.Dataset("rooms");
        var first = Sent("rooms", 1);
        var second = Sent("rooms", 2);
        using var result = JsonDocument.Parse("""{"booking":"b-1"}""");

        Assert.Equal("request place.book accepted", await Receive(Answer(first, RequestDecision.Accept(result.RootElement.Clone()))));
        Assert.Equal("request place.book refused", await Receive(Answer(second, RequestDecision.Refuse("place_booked", "booked from 9 to 12"))));

        var accepted = _exchanges.Find(first.Id)!;
        Assert.Equal((ExchangeState.Accepted, """{"booking":"b-1"}"""), (accepted.State, accepted.Result?.GetRawText()));
        var refused = _exchanges.Find(second.Id)!;
        Assert.Equal((ExchangeState.Refused, "place_booked", "booked from 9 to 12"), (refused.State, refused.Code, refused.Detail));
        Assert.NotNull(refused.AnsweredAt);
        // Each answer is kept as the dataset signed it: the asking side holds the doubly signed exchange.
        var proofs = new ModuleObjectProofs(_rig.Proofs, _rig.Verifier, _rig.Uris);
        foreach (var answered in new[] { accepted, refused })
            Assert.True((await proofs.VerifyAsync(ReplicationRig.Data(answered.ReceivedJson!), _rig.ActorOf("rooms"), CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task A_module_signs_its_own_object_by_a_dataset_or_the_node_and_a_changed_field_fails_the_check()
    {
        _rig.Dataset("rooms");
        var proofs = new ModuleObjectProofs(_rig.Proofs, _rig.Verifier, _rig.Uris);
        var signed = proofs.Sign("rooms", ReplicationRig.Data("""{"type":"BalanceStatement","balance":"12.50"}"""));
        Assert.Equal(_rig.ActorOf("rooms"), proofs.ActorOf("rooms"));
        var check = await proofs.VerifyAsync(signed, proofs.ActorOf("rooms"), CancellationToken.None);
        Assert.True(check.Valid);
        Assert.StartsWith(_rig.ActorOf("rooms") + "#", check.KeyId);
        var altered = System.Text.Json.Nodes.JsonNode.Parse(signed.GetRawText())!.AsObject();
        altered["balance"] = "13.50";
        Assert.Equal("bad_signature", (await proofs.VerifyAsync(ReplicationRig.Element(altered), proofs.ActorOf("rooms"), CancellationToken.None)).Failure);
        Assert.Equal("missing_proof", (await proofs.VerifyAsync(ReplicationRig.Data("""{"balance":"1"}"""), proofs.ActorOf("rooms"), CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task An_answer_by_anyone_but_the_asked_dataset_or_proven_by_another_key_changes_nothing()
    {
        _rig.Dataset("rooms");
        _rig.Dataset("tools");
        var request = Sent("rooms");

        // Another dataset of the same node answers (it signed the HTTP request and the proof: its own actor).
        var fromTools = Answer(request with { TargetActor = _rig.ActorOf("tools") }, RequestDecision.Accept());
        Assert.StartsWith("refused: the answer is not from the dataset", await Receive(fromTools));
        // The asked dataset's actor, but the proof is by another actor's key.
        Assert.StartsWith("refused: the answer's proof", await Receive(Answer(request, RequestDecision.Accept(), provenBy: "tools")));
        // No proof at all.
        var unproven = ExchangeActivities.Answer(request, RequestDecision.Accept(), Guid.NewGuid(), _rig.Clock.GetUtcNow());
        Assert.StartsWith("refused: the answer's proof", await Receive(unproven));
        // The object names another request than inReplyTo.
        var mixed = Answer(request, RequestDecision.Accept());
        mixed["object"]!["id"] = "http://b.test/actor#requests/other";
        Assert.StartsWith("refused: the answer's object and inReplyTo", await Receive(mixed));
        // A request that is not ours.
        Assert.StartsWith("ignored: no request", await Receive(Answer(request with { Id = "http://b.test/actor#requests/unknown" }, RequestDecision.Accept())));

        Assert.Equal(ExchangeState.Pending, _exchanges.Find(request.Id)!.State);
    }

    [Fact]
    public async Task A_late_answer_is_kept_on_the_expired_exchange_and_a_second_answer_changes_nothing()
    {
        _rig.Dataset("rooms");
        var late = Sent("rooms", 1);
        var answered = Sent("rooms", 2);
        _rig.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(2, _exchanges.ExpireOverdue(_rig.Clock.GetUtcNow(), 100));
        Assert.True(_exchanges.TryUpdate(_exchanges.Find(answered.Id)! with { State = ExchangeState.Refused, Code = "place_booked" }, ExchangeState.Expired));

        Assert.Equal("kept: the answer came after the request expired", await Receive(Answer(late, RequestDecision.Accept())));
        var kept = _exchanges.Find(late.Id)!;
        Assert.Equal(ExchangeState.Expired, kept.State);
        Assert.Contains("\"type\":\"Accept\"", kept.LateAnswer);

        Assert.Equal("ignored: the request was answered already", await Receive(Answer(answered, RequestDecision.Accept())));
        Assert.Equal((ExchangeState.Refused, "place_booked"), (_exchanges.Find(answered.Id)!.State, _exchanges.Find(answered.Id)!.Code));
    }
}
