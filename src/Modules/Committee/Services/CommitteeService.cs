using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;

namespace Commons.Modules.Committee.Services;

/// <summary>What a proposal's results show: nothing of the votes while hidden and open; the live counts otherwise; the outcome once decided.</summary>
public sealed record ProposalResults(string Proposal, bool Open, bool Hidden, IReadOnlyDictionary<string, string>? Counts, string? Voted, string? Total,
    string? Outcome, string? Chosen);

/// <summary>
/// The steering committee as members use it, every permission decided here from the <see cref="Caller"/>. On a member
/// node, an administrator casts the organisation's ballot (a <c>committee.vote</c> request signed by this node's actor);
/// on the coordinating node, a steward of the proposals dataset reads the results (hidden ones show nothing before
/// closing) and closes a proposal whose time has come; anyone who may read a decision — here or in a replica of a
/// followed decisions dataset — recounts it.
/// </summary>
public sealed class CommitteeService(DatasetService datasets, RecordService records, IRecordStore recordStore, IModuleStore modules,
    IExchangeGateway gateway, LocalBallots local, CommitteeClosing closing, CommitteeRecount recount, CommitteeDecisionFinder finder, CommitteeGovernance governance, TimeProvider clock)
{
    /// <summary>
    /// Sends this node's ballot on <paramref name="proposal"/> to the proposals dataset at <paramref name="target"/>
    /// (handle or actor URL); the exchange is pending until the coordinator answers (accepted, or refused with its code).
    /// When the target is one of this node's own proposals datasets (slug, handle or actor URL), this node coordinates
    /// and is a member: the ballot is cast here, signed and decided as a member node's would be, and answered at once.
    /// </summary>
    public Task<Exchange> VoteAsync(Caller caller, string target, string proposal, string option, string? reason, CancellationToken ct)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("only an administrator of this node casts the organisation's ballot");
        DatasetAccess.RequireWrite(caller);
        var body = new JsonObject { ["proposal"] = proposal, ["option"] = option };
        if (reason is not null) body["reason"] = reason;
        var element = JsonSerializer.SerializeToElement<JsonNode>(body);
        if (!VoteRequestHandler.TryRead(element, out _, out _, out _))
            throw ValidationException.For("ballot", "a proposal id (at most 200 characters), an option (at most 40) and an optional reason (at most 2,000)");
        if (local.Find(target) is { } proposals) return Task.FromResult(local.Cast(caller, proposals, element));
        return gateway.SendAsync(caller, target, VoteRequestHandler.Type, element, ct);
    }

    /// <summary>
    /// This node's ballots, newest first: what it chose and the coordinator's answer — its ballots cast on its own
    /// proposals too, kept as outgoing exchanges answered at once (<see cref="LocalBallots"/>).
    /// </summary>
    public IReadOnlyList<Exchange> MyBallots(Caller caller, int limit)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("only an administrator of this node sees the organisation's ballots");
        return gateway.Outgoing(VoteRequestHandler.Type, null, limit);
    }

    /// <summary>The proposal's results for a reader of its dataset: hidden and open, not even a count.</summary>
    public ProposalResults Results(Caller caller, string proposals, string id)
    {
        datasets.Get(caller, proposals, AccessLevel.Read);
        var now = clock.GetUtcNow();
        return modules.Read(CommitteeBook.Module, data =>
        {
            var book = new CommitteeBook(data);
            var terms = book.Proposal(proposals, id) ?? throw new NotFoundException($"no proposal '{id}' in {proposals}", CommitteeCodes.ProposalUnknown);
            var committee = book.CommitteeOf(proposals)!;
            var decided = book.IsDecided(proposals, id);
            var open = !decided && now < terms.Closes;
            if (terms.HiddenResults && !decided) return new ProposalResults(id, open, true, null, null, null, null, null);
            var ballots = book.Ballots(proposals, id).Where(b => committee.Member(b.Voter) is not null).Select(b => (b.Voter, b.Option));
            var result = Tally.Count(committee.Members, ballots, terms.Options, terms.Quorum, terms.Rule);
            return new ProposalResults(id, open, terms.HiddenResults, result.Counts.ToDictionary(c => c.Key, c => Decimals.Text(c.Value)),
                Decimals.Text(result.Voted), Decimals.Text(result.Total), decided ? result.Outcome : null, decided ? result.Chosen : null);
        });
    }

    /// <summary>A steward of the proposals dataset closes the proposal at or after its closing time; the decision's data.</summary>
    public JsonElement Close(Caller caller, string proposals, string id)
    {
        datasets.Get(caller, proposals, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        return closing.Close(proposals, id, caller.Username);
    }

    /// <summary>Recounts decision <paramref name="id"/> kept on this node or in a replica of a followed decisions dataset.</summary>
    public async Task<RecountReport> RecountAsync(Caller caller, string id, CancellationToken ct)
    {
        var found = finder.Find(id, local => datasets.Get(caller, local.Slug, AccessLevel.Read))
            ?? throw new NotFoundException($"no decision '{id}' on this node or in a followed decisions dataset");
        return await recount.VerifyAsync(id, found.Data, found.DecisionsActor, ct, page => finder.Page(found, page));
    }

    /// <summary>A steward of the decisions dataset records the follow-up of a decision: its owner organisation, due dates, status.</summary>
    public JsonElement FollowUp(Caller caller, string decisions, string id, string? owner, IReadOnlyList<(string Date, string? What)>? due, string? status)
    {
        var dataset = datasets.Get(caller, decisions, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        var current = recordStore.Get(dataset.Key, id) is { Deleted: false } r ? r : throw new NotFoundException($"no decision '{id}' in {decisions}", CommitteeCodes.DecisionUnknown);
        if (status is not null && FollowUpRequestHandler.Refusal(current.Data, status) is { } refused)
            throw new RuleConflictException(refused.Code!, "Follow-up not allowed", refused.Detail!);
        var next = JsonNode.Parse(current.Data.GetRawText())!.AsObject();
        if (owner is not null) next["owner"] = owner;
        if (due is not null) next["due"] = new JsonArray(due.Select(Due).ToArray());
        if (status is not null) next["status"] = status;
        var (record, _) = records.Update(caller, decisions, id, JsonSerializer.SerializeToElement<JsonNode>(next), null, current.Revision);
        return record.Data;
    }

    /// <summary>A governed setting's history for a scope, newest first, for any member who may read.</summary>
    public IReadOnlyList<Core.Governance.GovernedChange> History(Caller caller, string setting, string scope)
    {
        if (!caller.CanRead) throw new ForbiddenException("reading needs the read scope");
        return governance.History(setting, scope, 200);
    }

    private static JsonNode Due((string Date, string? What) due)
    {
        var item = new JsonObject { ["date"] = due.Date };
        if (due.What is not null) item["what"] = due.What;
        return item;
    }
}
