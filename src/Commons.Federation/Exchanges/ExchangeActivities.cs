using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Exchanges;

/// <summary>
/// The activities of a request between nodes (spec §11). The request is an <c>Offer</c> from the asking node's actor,
/// addressed (<c>to</c> and <c>target</c>) to the asked dataset's actor, whose object is a <c>commons:Request</c>
/// carrying <c>commons:requestType</c> and <c>commons:data</c>. The answer is an <c>Accept</c> or a <c>Reject</c> by
/// that dataset's actor, <c>inReplyTo</c> the request, embedding the request's {id, type}; a Reject carries the
/// refusal's <c>commons:code</c> and a <c>summary</c>, an Accept may carry a <c>commons:result</c>.
/// </summary>
public static class ExchangeActivities
{
    /// <summary>Id of a request sent by <paramref name="actor"/>: <c>{actor}#requests/{uuid}</c>.</summary>
    public static string RequestId(string actor, Guid id) => $"{actor}#requests/{id:D}";

    /// <summary>Id of an answer sent by a dataset actor: <c>{actor}#answers/{uuid}</c>.</summary>
    public static string AnswerId(string actor, Guid id) => $"{actor}#answers/{id:D}";

    public static JsonObject Request(string requesterActor, string targetActor, string requestType, JsonElement data, Guid id, DateTimeOffset published)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requesterActor);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetActor);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestType);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = RequestId(requesterActor, id);
        doc["type"] = "Offer";
        doc["actor"] = requesterActor;
        doc["to"] = new JsonArray(targetActor);
        doc["target"] = targetActor;
        doc["published"] = AsJson.FormatTime(published);
        doc["object"] = new JsonObject
        {
            ["type"] = ActivityStreamsContext.Request,
            [ActivityStreamsContext.RequestType] = requestType,
            [ActivityStreamsContext.Data] = JsonNode.Parse(data.GetRawText()),
        };
        return doc;
    }

    /// <summary>The dataset's answer to <paramref name="request"/>: Accept or Reject (never for a pending decision).</summary>
    public static JsonObject Answer(Exchange request, RequestDecision decision, Guid id, DateTimeOffset published)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decision);
        var type = decision.State switch
        {
            ExchangeState.Accepted => "Accept",
            ExchangeState.Refused => "Reject",
            _ => throw new ArgumentException("only an accepted or refused decision is answered", nameof(decision)),
        };
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = AnswerId(request.TargetActor, id);
        doc["type"] = type;
        doc["actor"] = request.TargetActor;
        doc["to"] = new JsonArray(request.RequesterActor);
        doc["inReplyTo"] = request.Id;
        doc["published"] = AsJson.FormatTime(published);
        doc["object"] = new JsonObject { ["id"] = request.Id, ["type"] = ActivityStreamsContext.Request };
        if (decision.Code is { } code) doc[ActivityStreamsContext.Code] = code;
        if (decision.Detail is { } detail) doc["summary"] = detail;
        if (decision.Result is { } result) doc[ActivityStreamsContext.Result] = JsonNode.Parse(result.GetRawText());
        return doc;
    }
}
