using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Requests;

/// <summary>
/// <c>committee.vote</c>, sent by a member node to the committee's proposals dataset: one ballot per member node and
/// proposal, as the organisation. Refused after closing or once decided (<c>voting_closed</c>), before opening
/// (<c>voting_not_open</c>), from a node that is no member (<c>not_a_member</c>), with an option the proposal does not
/// offer (<c>unknown_option</c>). A member's new ballot replaces its earlier one. The ballot is kept with the request
/// as the member signed it (its FEP-8b32 proof intact) in the module's documents, never in a record, so that nothing
/// of it leaves the node before closing. The answer says only that the ballot was taken.
/// Body: <c>{proposal, option, reason?}</c>.
/// </summary>
public sealed class VoteRequestHandler(IModuleStore modules) : IRequestHandler
{
    public const string Type = "committee.vote";

    public string Kind => ProposalsKind.KindName;
    public string RequestType => Type;

    public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct) => Task.FromResult(Decide(request));

    /// <summary>
    /// The one place for the ballot's rules, for a request that came from a member node and for the coordinator's own
    /// ballot cast on this node (<see cref="Services.LocalBallots"/>): the same checks, the same stored ballot.
    /// </summary>
    public RequestDecision Decide(IncomingRequest request)
    {
        var slug = request.Dataset.Slug;
        if (!TryRead(request.Body, out var proposalId, out var option, out var reason))
            return RequestDecision.Refuse(Core.Errors.ProblemCodes.ValidationFailed, "a ballot is {proposal, option, reason?}");
        if (request.SignedJson is not { } signedText)
            return RequestDecision.Refuse(CommitteeCodes.BallotUnsigned, "the ballot came without its signed request; it could not be recounted");
        using var signed = JsonDocument.Parse(signedText);
        var signedBallot = signed.RootElement.Clone();
        return modules.Write(CommitteeBook.Module, data =>
        {
            // Read and written in one transaction: a closing that starts marks the proposal first, so a ballot is
            // either stored before the closing reads the ballots or refused.
            var book = new CommitteeBook(data);
            if (book.Proposal(slug, proposalId) is not { } terms)
                return RequestDecision.Refuse(CommitteeCodes.ProposalUnknown, $"no proposal '{proposalId}' in {slug}");
            var committee = book.CommitteeOf(slug);
            if (committee?.Member(request.RequesterActor) is null)
                return RequestDecision.Refuse(CommitteeCodes.NotAMember, $"{request.RequesterActor} is no member of the committee");
            if (book.IsDecided(slug, proposalId) || book.IsClosing(slug, proposalId) || request.ReceivedAt >= terms.Closes)
                return RequestDecision.Refuse(CommitteeCodes.VotingClosed, $"voting on {proposalId} closed at {terms.Closes:O}");
            if (request.ReceivedAt < terms.Opens)
                return RequestDecision.Refuse(CommitteeCodes.VotingNotOpen, $"voting on {proposalId} opens at {terms.Opens:O}");
            if (!terms.Options.Contains(option))
                return RequestDecision.Refuse(CommitteeCodes.UnknownOption, $"proposal {proposalId} offers {string.Join(", ", terms.Options)}");
            book.PutBallot(slug, proposalId, new Ballot(request.RequesterActor, option, reason, request.ReceivedAt, request.RequestId, signedBallot));
            return RequestDecision.Accept(JsonSerializer.SerializeToElement<JsonNode>(new JsonObject
            {
                ["proposal"] = proposalId, ["option"] = option, ["at"] = request.ReceivedAt.ToString("O"),
            }));
        });
    }

    /// <summary>The ballot's fields from a request's data (the same reading a recount does on the signed request).</summary>
    public static bool TryRead(JsonElement body, out string proposal, out string option, out string? reason)
    {
        proposal = option = "";
        reason = null;
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("proposal", out var p) || p.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("option", out var o) || o.ValueKind != JsonValueKind.String) return false;
        proposal = p.GetString()!;
        option = o.GetString()!;
        if (body.TryGetProperty("reason", out var r))
        {
            if (r.ValueKind != JsonValueKind.String || r.GetString()!.Length > 2000) return false;
            reason = r.GetString();
        }
        return proposal.Length is > 0 and <= 200 && option.Length is > 0 and <= 40;
    }
}
