using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Exchanges;

/// <summary>
/// The asked node's side of a request. The HTTP signature named the requester; its FEP-8b32 proof must be by that same
/// actor, or nothing is stored (the inbox log keeps why). A request to a dataset that does not exist outside is not
/// answered. Then the exchange is stored, the dataset's kind's <see cref="IRequestHandler"/> decides (none: refused with
/// <see cref="ProblemCodes.RequestUnsupported"/>; a kind whose module is off: <see cref="ProblemCodes.ModuleOff"/>; a <see cref="CommonsException"/>: refused with its code), and the
/// answer goes back through <see cref="ExchangeAnswering"/>. The same request id again is answered again, identically.
/// </summary>
public sealed class IncomingRequests(
    IDatasetStore datasets, IExchangeStore exchanges, IEnumerable<IRequestHandler> handlers, IDatasetKinds kinds, RemoteActorFetcher actors,
    ProofVerifier proofs, ExchangeAnswering answering, ActivityUris uris, TimeProvider clock, ILogger<IncomingRequests> log,
    IModuleSwitches? switches = null)
{
    private readonly IReadOnlyList<IRequestHandler> _handlers = handlers.ToList();
    private readonly IModuleSwitches _switches = switches ?? AllModulesOn.Instance;

    public async Task<string> ReceiveAsync(InboxActivity activity, CancellationToken ct)
    {
        var obj = activity.Object;
        if (AsJson.String(obj, ActivityStreamsContext.RequestType) is not { Length: > 0 and <= 100 } requestType) return "refused: the request has no commons:requestType";
        var data = AsJson.Get(obj, ActivityStreamsContext.Data);
        if (data.ValueKind != JsonValueKind.Object) return "refused: the request's commons:data is not an object";
        if (AsJson.Id(activity.Json, "actor") != activity.ActorUri) return "refused: the actor is not the signer";
        var slug = uris.DatasetSlugOfActor(AsJson.Id(activity.Json, "target") ?? AsJson.Ids(activity.Json, "to").FirstOrDefault());
        if (slug is null || datasets.Find(slug) is not { } dataset || dataset.Policy == SharingPolicy.Private)
            return "ignored: the target is not one of our shared datasets";

        var proof = await proofs.VerifyAsync(ProofVerifier.AsObject(activity.Json)!, activity.ActorUri, ct);
        if (!proof.IsValid) return $"refused: the request's proof: {proof.Failure}";

        // One decision at a time per request: a request delivered twice at once must not be decided twice.
        var gate = Gates[(int)((uint)StringComparer.Ordinal.GetHashCode(activity.Id) % (uint)Gates.Length)];
        await gate.WaitAsync(ct);
        try
        {
            var seen = exchanges.Find(activity.Id);
            // Stored but never decided (the node stopped in between): decide it now. The handler may have written
            // already; handlers find their own earlier write by the request id.
            if (seen is not null && !(seen.Undecided && seen.RequesterActor == activity.ActorUri)) return answering.Repeat(seen, activity.ActorUri);

            var requester = await actors.FetchAsync(new Uri(activity.ActorUri), ct);
            var exchange = seen ?? new Exchange
            {
                Id = activity.Id, Direction = ExchangeDirection.Incoming, DatasetSlug = dataset.Slug, TargetActor = uris.DatasetActor(dataset.Slug),
                RequesterActor = activity.ActorUri, PeerInbox = requester.Inbox.ToString(), RequestType = requestType, Kind = dataset.Kind,
                State = ExchangeState.Pending, Body = data.Clone(), CreatedAt = clock.GetUtcNow(), ReceivedJson = activity.Json.GetRawText(),
            };
            if (seen is null && !exchanges.TryAdd(exchange)) return answering.Repeat(exchanges.Find(activity.Id)!, activity.ActorUri);

            var decision = await DecideAsync(exchange, dataset, requester, ct);
            if (decision.State == ExchangeState.Pending)
            {
                exchanges.TryUpdate(exchange with { Detail = decision.Detail, HeldAt = clock.GetUtcNow() }, ExchangeState.Pending);
                return $"request {requestType} pending";
            }
            answering.Answer(exchange, decision, answeredBy: null);
            return decision.State == ExchangeState.Accepted ? $"request {requestType} accepted" : $"request {requestType} refused: {decision.Code}";
        }
        finally
        {
            gate.Release();
        }
    }

    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private async Task<RequestDecision> DecideAsync(Exchange exchange, Dataset dataset, RemoteActor requester, CancellationToken ct)
    {
        if (dataset.Kind != DatasetKind.Custom)
        {
            if (kinds.Find(dataset.Kind) is not { } kind)
                return RequestDecision.Refuse(ProblemCodes.KindUnavailable, $"this node no longer has the code of kind {dataset.Kind}");
            // A module that is off answers nothing, peers included; its handlers stay registered for when it is back on.
            if (!_switches.IsOn(kind.Module))
                return RequestDecision.Refuse(ProblemCodes.ModuleOff, $"the {kind.Module} module is off on this node");
        }
        var handler = _handlers.FirstOrDefault(h => h.Kind == dataset.Kind && h.RequestType == exchange.RequestType);
        if (handler is null)
            return RequestDecision.Refuse(ProblemCodes.RequestUnsupported, $"datasets of kind {dataset.Kind} do not answer {exchange.RequestType} requests");
        var request = new IncomingRequest(dataset, exchange.Id, exchange.RequestType, exchange.RequesterActor, requester.Id.Authority, exchange.Body, exchange.CreatedAt)
        {
            SignedJson = exchange.ReceivedJson,
        };
        try
        {
            var decision = await handler.DecideAsync(request, ct);
            // A refusal always carries a code: it is what the asking node shows and branches on.
            return decision is { State: ExchangeState.Refused, Code: null } ? decision with { Code = ProblemCodes.RequestRefused } : decision;
        }
        catch (CommonsException e)
        {
            return RequestDecision.Refuse(e.Code, e.Detail);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The {Type} handler failed on request {Id}", exchange.RequestType, exchange.Id);
            return RequestDecision.Refuse(ProblemCodes.InternalError, "the request could not be decided");
        }
    }
}
