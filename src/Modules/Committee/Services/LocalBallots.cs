using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;

namespace Commons.Modules.Committee.Services;

/// <summary>
/// The ballot of a coordinating node that is itself a member of its committee. The exchanges refuse a request to a
/// dataset of the same node, so the ballot does not travel: this node builds the request activity a member node would
/// send (spec/federation.md §11: an <c>Offer</c> by the node actor to the proposals dataset's actor, its object a
/// <c>commons:Request</c> of type <c>committee.vote</c>), signs it with the node actor's key (FEP-8b32), and hands it to
/// the same decision as a ballot that came over the network (<see cref="VoteRequestHandler.Decide"/>). The recount then
/// checks it like any other ballot: proof by the voter, actor = voter, target = the proposals dataset's actor.
/// The exchange is kept as an outgoing one answered at once, so the API, the CLI and the pages list it with the others.
/// </summary>
public sealed class LocalBallots(IDatasetStore datasets, IModuleStore modules, IObjectProofs proofs, IExchangeStore exchanges, TimeProvider clock)
{
    private readonly VoteRequestHandler _rules = new(modules);

    /// <summary>
    /// This node's proposals dataset that <paramref name="target"/> names — its slug, its handle (<c>slug@host</c> with
    /// this node's host) or its actor URL — or null when it names none (a remote dataset, to reach through the gateway).
    /// </summary>
    public Dataset? Find(string target)
    {
        target = target.Trim();
        if (target.Length == 0) return null;
        if (Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            return datasets.List().FirstOrDefault(d => d.Kind == ProposalsKind.KindName && proofs.ActorOf(d.Slug) == target);
        var at = target.IndexOf('@');
        if (at >= 0)
        {
            var host = new Uri(proofs.ActorOf(null)).Authority;
            if (!string.Equals(target[(at + 1)..], host, StringComparison.OrdinalIgnoreCase)) return null;
            target = target[..at];
        }
        return datasets.Find(target) is { Kind: ProposalsKind.KindName } local ? local : null;
    }

    /// <summary>Casts this node's ballot on its own <paramref name="proposals"/> dataset; the exchange, accepted or refused with its code.</summary>
    public Exchange Cast(Caller caller, Dataset proposals, JsonElement ballot)
    {
        var now = clock.GetUtcNow();
        var voter = proofs.ActorOf(null);
        var target = proofs.ActorOf(proposals.Slug);
        var id = $"{voter}#requests/{Guid.NewGuid():D}";
        var activity = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["commons"] = "https://w3id.org/commons-node/ns#" }),
            ["id"] = id, ["type"] = "Offer", ["actor"] = voter, ["to"] = new JsonArray(target), ["target"] = target,
            ["published"] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["object"] = new JsonObject
            {
                ["type"] = "commons:Request", ["commons:requestType"] = VoteRequestHandler.Type, ["commons:data"] = JsonNode.Parse(ballot.GetRawText()),
            },
        };
        var signed = proofs.Sign(null, JsonSerializer.SerializeToElement<JsonNode>(activity)).GetRawText();
        var request = new IncomingRequest(proposals, id, VoteRequestHandler.Type, voter, new Uri(voter).Authority, ballot, now) { SignedJson = signed };
        var decision = _rules.Decide(request);
        var exchange = new Exchange
        {
            Id = id, Direction = ExchangeDirection.Outgoing, TargetActor = target, RequesterActor = voter, PeerInbox = target + "/inbox",
            RequestType = VoteRequestHandler.Type, Kind = ProposalsKind.KindName, State = decision.State, Code = decision.Code, Detail = decision.Detail,
            Body = ballot.Clone(), Result = decision.Result, RequestedBy = caller.Username, CreatedAt = now, AnsweredAt = now, SentJson = signed,
        };
        exchanges.TryAdd(exchange);
        return exchange;
    }
}
