using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Requests;

/// <summary>
/// <c>committee.followup</c>, sent by the owner organisation of an adopted decision to the committee's decisions
/// dataset: the decision's new status and/or due dates. The coordinator checks that the decision exists
/// (<c>decision_unknown</c>), that the signing actor is the owner the decision names (<c>not_the_owner</c>), that it
/// was adopted and that the status may move that way (<c>followup_not_allowed</c>), then writes the decision record —
/// the one place the follow-up lives, replicated to every member node that follows the decisions.
/// Body: <c>{decision, status?, due?: [{date, what?}]}</c>.
/// </summary>
public sealed class FollowUpRequestHandler(IRecordStore records, RecordService writes) : IRequestHandler
{
    public const string Type = "committee.followup";

    public string Kind => DecisionsKind.KindName;
    public string RequestType => Type;

    public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct) => Task.FromResult(Decide(request));

    private RequestDecision Decide(IncomingRequest request)
    {
        if (!FollowUp.TryRead(request.Body, out var id, out var status, out var due, out var error))
            return RequestDecision.Refuse(ProblemCodes.ValidationFailed, error);
        if (records.Get(request.Dataset.Key, id) is not { Deleted: false } current)
            return RequestDecision.Refuse(CommitteeCodes.DecisionUnknown, $"no decision '{id}' in {request.Dataset.Slug}");
        if (FollowUp.OwnerOf(current.Data) != request.RequesterActor)
            return RequestDecision.Refuse(CommitteeCodes.NotTheOwner, $"{request.RequesterActor} is not the owner organisation of decision {id}");
        if (Refusal(current.Data, status) is { } refused) return refused;
        var next = Apply(current.Data, status, due);
        // The revision read above: an update that came in between makes this one a conflict, not a lost write.
        var (record, _) = writes.UpdateDecided(request.Dataset, request.RequesterActor, id, next, current.Revision);
        return RequestDecision.Accept(JsonSerializer.SerializeToElement<JsonNode>(new JsonObject
        {
            ["decision"] = id, ["status"] = FollowUp.StatusOf(record.Data), ["revision"] = record.Revision,
        }));
    }

    /// <summary>Why the follow-up of <paramref name="decision"/> cannot move to <paramref name="status"/>; null when it can.</summary>
    public static RequestDecision? Refusal(JsonElement decision, string? status)
    {
        if (!FollowUp.IsAdopted(decision))
            return RequestDecision.Refuse(CommitteeCodes.FollowUpNotAllowed, "only an adopted decision is followed up");
        var from = FollowUp.StatusOf(decision);
        return status is null || FollowUp.Allows(from, status) ? null
            : RequestDecision.Refuse(CommitteeCodes.FollowUpNotAllowed, $"the follow-up cannot go from {from} to {status}");
    }

    /// <summary>The decision's data with the new status and due dates; everything else as it was.</summary>
    public static JsonElement Apply(JsonElement decision, string? status, IReadOnlyList<DueDate>? due)
    {
        var next = JsonNode.Parse(decision.GetRawText())!.AsObject();
        if (status is not null) next["status"] = status;
        if (due is not null) next["due"] = FollowUp.DueJson(due);
        return JsonSerializer.SerializeToElement<JsonNode>(next);
    }
}
