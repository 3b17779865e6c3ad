using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Modules.Committee.Tests.Support;

/// <summary>
/// A node's IExchangeGateway over the test network: the request goes as a §11 <c>Offer</c> activity signed by the node
/// actor (FEP-8b32), POSTed to the target dataset's inbox over HTTP; the answer comes back in the same exchange, and
/// both are kept in the node's real exchange store, as the federation layer keeps them. Like the real gateway
/// (RemoteDatasetLookup), it refuses a target on the same node: "that dataset is on this node".
/// </summary>
public sealed class HttpGateway(CommitteeNetwork network, CommitteeNode node) : IExchangeGateway
{
    public async Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct)
    {
        if (!target.StartsWith(network.Base.ToString(), StringComparison.Ordinal))
            throw ValidationException.For("target", "a dataset's URL on the test network");
        if (target.StartsWith(network.DatasetActor(node.Name, ""), StringComparison.Ordinal))
            throw ValidationException.For("target", "that dataset is on this node");
        var id = $"{node.Actor}#requests/{Guid.NewGuid()}";
        var activity = new JsonObject
        {
            ["id"] = id, ["type"] = "Offer", ["actor"] = node.Actor, ["to"] = new JsonArray(target), ["target"] = target,
            ["published"] = node.Clock.GetUtcNow().ToString("O"),
            ["object"] = new JsonObject { ["type"] = "commons:Request", ["commons:requestType"] = type, ["commons:data"] = JsonNode.Parse(body.GetRawText()) },
        };
        var signed = node.Proofs.Sign(null, JsonSerializer.SerializeToElement<JsonNode>(activity));
        return await DeliverAsync(caller, id, target, type, body, signed, ct);
    }

    /// <summary>Delivers an activity as given (a forged one in the tests) and keeps the exchange.</summary>
    public async Task<Exchange> DeliverAsync(Caller caller, string id, string target, string type, JsonElement body, JsonElement signed, CancellationToken ct)
    {
        using var response = await network.Http.PostAsync(target + "/inbox", new StringContent(signed.GetRawText(), System.Text.Encoding.UTF8, "application/activity+json"), ct);
        var answer = await response.Content.ReadFromJsonAsync<CommitteeNetwork.Answer>(ct);
        var exchange = new Exchange
        {
            Id = id, Direction = ExchangeDirection.Outgoing, TargetActor = target, RequesterActor = node.Actor, PeerInbox = target + "/inbox",
            RequestType = type, Kind = "committee.proposals", Body = body.Clone(), RequestedBy = caller.Username, CreatedAt = node.Clock.GetUtcNow(),
            State = answer!.State switch { "accepted" => ExchangeState.Accepted, "refused" => ExchangeState.Refused, _ => ExchangeState.Pending },
            Code = answer.Code, Detail = answer.Detail, SentJson = signed.GetRawText(),
        };
        node.Exchanges.TryAdd(exchange);
        return exchange;
    }

    public Exchange? Find(string requestId) => node.Exchanges.Find(requestId);

    public IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit) => node.Exchanges.List(new ExchangeQuery
    {
        All = member is null, Member = member, Direction = ExchangeDirection.Outgoing, Type = type, Limit = limit,
    }).Items;

    public Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy) =>
        throw new InvalidOperationException("the committee leaves no request pending");
}
