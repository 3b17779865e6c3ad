using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;

namespace Commons.Modules.Committee.Services;

/// <summary>
/// The follow-up of an adopted decision as its owner organisation updates it from its own node: an administrator sends
/// a <c>committee.followup</c> request, signed by this node's actor, to the coordinator's decisions dataset, which
/// checks it again and writes the decision; the change then replicates to every member. Checked here first, so a
/// request that would be refused is not sent: the decision is one this node holds as a replica, it is adopted, this
/// node is its owner and the status may move that way.
/// </summary>
public sealed class CommitteeFollowUps(IExchangeGateway gateway, CommitteeDecisionFinder finder, IObjectProofs proofs)
{
    /// <summary>
    /// Sends the new <paramref name="status"/> and/or <paramref name="due"/> dates of decision <paramref name="decision"/>
    /// (its id) to the decisions dataset it came from; the exchange is pending until the coordinator answers.
    /// </summary>
    public Task<Exchange> UpdateAsync(Caller caller, string decision, string? status, IReadOnlyList<DueDate>? due, CancellationToken ct)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("only an administrator of this node updates the organisation's follow-up");
        DatasetAccess.RequireWrite(caller);
        var body = FollowUp.RequestJson(decision, status, due);
        if (!FollowUp.TryRead(body, out _, out _, out _, out var error)) throw ValidationException.For("followUp", error);
        var found = finder.Find(decision)
            ?? throw new NotFoundException($"no decision '{decision}' in a decisions dataset this node follows", CommitteeCodes.DecisionUnknown);
        if (!found.Replica)
            throw new RuleConflictException(CommitteeCodes.FollowUpNotAllowed, "Follow-up not allowed",
                $"decision {decision} is kept on this node: a steward of its decisions dataset records its follow-up (PUT /api/committee/decisions/{found.Dataset}/{decision}/follow-up)");
        var us = proofs.ActorOf(null);
        if (FollowUp.OwnerOf(found.Data) != us)
            throw new ForbiddenException($"this node ({us}) is not the owner organisation of decision {decision}", CommitteeCodes.NotTheOwner);
        if (FollowUpRequestHandler.Refusal(found.Data, status) is { } refused)
            throw new RuleConflictException(refused.Code!, "Follow-up not allowed", refused.Detail!);
        return gateway.SendAsync(caller, found.DecisionsActor, FollowUpRequestHandler.Type, body, ct);
    }

    /// <summary>This node's follow-up updates sent, newest first, with the coordinator's answers (administrators).</summary>
    public IReadOnlyList<Exchange> Sent(Caller caller, int limit)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("only an administrator of this node sees the organisation's follow-up updates");
        return gateway.Outgoing(FollowUpRequestHandler.Type, null, limit);
    }
}
