using System.Text.Json;
using Commons.Core.Federation;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;

namespace Commons.Modules.Committee.Services;

/// <summary>One thing a recount found wrong: which ballot (its place in the tally, from 1, and its voter) when it is about one, a code and words.</summary>
public sealed record RecountFailure(int? Ballot, string? Voter, string Code, string Detail);

/// <summary>A recount's result: verified when the tally's proof, every ballot and the recomputed outcome hold.</summary>
public sealed record RecountReport(string Decision, bool Verified, int Ballots, string Outcome, string? Recounted, IReadOnlyList<RecountFailure> Failures);

/// <summary>
/// Recounting a decision, on any member node: the tally's proof against the decisions dataset that signed it; each
/// ballot's proof against its voter's own actor (IObjectProofs), its signer being the voter, its request being a
/// <c>committee.vote</c> on this proposal to the proposals dataset the tally names, its option the one counted; each
/// voter a member and counted once; then the outcome computed again from the ballots as signed. Nothing is trusted
/// from the coordinator but the member list and terms it signed.
/// </summary>
public sealed class CommitteeRecount(IObjectProofs proofs)
{
    /// <param name="page">Reads a page of the tally's ballots (<see cref="BallotPages"/>) from the same decisions dataset, or the replica of it; null when absent.</param>
    public async Task<RecountReport> VerifyAsync(string id, JsonElement decision, string decisionsActor, CancellationToken ct, Func<string, JsonElement?>? page = null)
    {
        var failures = new List<RecountFailure>();
        var outcome = decision.TryGetProperty("outcome", out var o) ? o.GetString() ?? "" : "";
        if (!decision.TryGetProperty("tally", out var tally) || tally.ValueKind != JsonValueKind.Object)
            return new RecountReport(id, false, 0, outcome, null, [new(null, null, "tally_missing", "the decision carries no tally")]);
        var tallyCheck = await proofs.VerifyAsync(tally, decisionsActor, ct);
        if (!tallyCheck.Valid)
            failures.Add(new(null, null, "tally_" + tallyCheck.Failure, $"the tally's proof does not verify against {decisionsActor}: {tallyCheck.Failure}"));
        IReadOnlyList<CommitteeMember> members;
        IReadOnlyList<string> options;
        string rule, proposal, proposalsActor;
        decimal quorum;
        try
        {
            members = CommitteeTerms.MembersOf(tally.GetProperty("members"));
            options = tally.GetProperty("options").EnumerateArray().Select(x => x.GetString()!).ToList();
            rule = tally.GetProperty("rule").GetString()!;
            quorum = Decimals.Read(tally.GetProperty("quorum"));
            proposal = tally.GetProperty("proposal").GetString()!;
            proposalsActor = tally.GetProperty("proposals").GetString()!;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            failures.Add(new(null, null, "tally_malformed", "the tally lacks its members, options, rule, quorum or proposal"));
            return new RecountReport(id, false, 0, outcome, null, failures);
        }
        if (proposal != id) failures.Add(new(null, null, "tally_wrong_proposal", $"the tally is of proposal {proposal}, not {id}"));

        var counted = new List<(string Voter, string Option)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ballots = tally.TryGetProperty("ballotPages", out var pages)
            ? await PagedBallotsAsync(pages, proposal, decisionsActor, page, failures, ct)
            : tally.TryGetProperty("ballots", out var inline) && inline.ValueKind == JsonValueKind.Array ? inline.EnumerateArray().ToList() : null;
        if (ballots is null)
        {
            failures.Add(new(null, null, "tally_malformed", "the tally holds neither its ballots nor their pages"));
            ballots = [];
        }
        if (tally.TryGetProperty("ballotCount", out var expected) && (!expected.TryGetInt32(out var n) || n != ballots.Count))
            failures.Add(new(null, null, "ballot_page_mismatch", $"the tally counts {expected} ballots, its pages hold {ballots.Count}"));
        for (var i = 0; i < ballots.Count; i++)
        {
            var failure = await CheckBallotAsync(i + 1, ballots[i], proposal, proposalsActor, members, options, seen, ct);
            if (failure is not null) failures.Add(failure);
            else counted.Add((ballots[i].GetProperty("voter").GetString()!, ballots[i].GetProperty("option").GetString()!));
        }
        var result = Tally.Count(members, counted, options, quorum, rule);
        if (result.Outcome != outcome || (tally.TryGetProperty("outcome", out var to) && to.GetString() != result.Outcome))
            failures.Add(new(null, null, "outcome_mismatch", $"the ballots give {result.Outcome}, the decision says {outcome}"));
        if (tally.TryGetProperty("counts", out var counts))
            foreach (var (option, weight) in result.Counts)
                if (!counts.TryGetProperty(option, out var c) || Decimals.Read(c) != weight)
                    failures.Add(new(null, null, "count_mismatch", $"the ballots give {Decimals.Text(weight)} for {option}, the tally says otherwise"));
        return new RecountReport(id, failures.Count == 0, ballots.Count, outcome, result.Outcome, failures);
    }

    /// <summary>
    /// The ballots of a paged tally, in order: each page as the tally pins it (its proofValue), signed by the decisions
    /// dataset, of this proposal, in its place, with the count the tally says. A page that fails is named and its
    /// ballots are still checked one by one, so an altered ballot is named too.
    /// </summary>
    private async Task<List<JsonElement>?> PagedBallotsAsync(JsonElement refs, string proposal, string decisionsActor, Func<string, JsonElement?>? read,
        List<RecountFailure> failures, CancellationToken ct)
    {
        var ballots = new List<JsonElement>();
        var n = 0;
        foreach (var reference in refs.EnumerateArray())
        {
            n++;
            var pageId = reference.TryGetProperty("id", out var i) ? i.GetString() ?? "" : "";
            if (read?.Invoke(pageId) is not { } page || !page.TryGetProperty("ballots", out var held) || held.ValueKind != JsonValueKind.Array)
            {
                failures.Add(new(null, null, "ballot_page_missing", $"page {n} of the ballots ({pageId}) is not on this node"));
                continue;
            }
            var check = await proofs.VerifyAsync(page, decisionsActor, ct);
            if (!check.Valid)
                failures.Add(new(null, null, "ballot_page_" + check.Failure, $"page {n} of the ballots does not verify against {decisionsActor}: {check.Failure}"));
            var pinned = reference.TryGetProperty("proof", out var p) ? p.GetString() : null;
            if (pinned is null || pinned != BallotPages.ProofValue(page) || !page.TryGetProperty("proposal", out var of) || of.GetString() != proposal
                || !page.TryGetProperty("page", out var place) || !place.TryGetInt32(out var k) || k != n
                || !reference.TryGetProperty("count", out var count) || !count.TryGetInt32(out var c) || c != held.GetArrayLength())
                failures.Add(new(null, null, "ballot_page_mismatch", $"page {n} of the ballots is not the page the tally signed"));
            ballots.AddRange(held.EnumerateArray());
        }
        return ballots;
    }

    private async Task<RecountFailure?> CheckBallotAsync(int n, JsonElement ballot, string proposal, string proposalsActor,
        IReadOnlyList<CommitteeMember> members, IReadOnlyList<string> options, HashSet<string> seen, CancellationToken ct)
    {
        var voter = ballot.TryGetProperty("voter", out var v) ? v.GetString() : null;
        if (voter is null || !ballot.TryGetProperty("signed", out var signed) || !ballot.TryGetProperty("option", out var counted))
            return new(n, voter, "ballot_malformed", "the ballot lacks its voter, option or signed request");
        var check = await proofs.VerifyAsync(signed, voter, ct);
        if (!check.Valid) return new(n, voter, "ballot_" + check.Failure, $"ballot {n}'s proof does not verify against {voter}: {check.Failure}");
        if (!signed.TryGetProperty("actor", out var actor) || actor.GetString() != voter)
            return new(n, voter, "ballot_signer_mismatch", $"ballot {n} was sent by another actor than {voter}");
        if (!signed.TryGetProperty("object", out var request) || !request.TryGetProperty("commons:requestType", out var type)
            || type.GetString() != VoteRequestHandler.Type || !request.TryGetProperty("commons:data", out var body)
            || !VoteRequestHandler.TryRead(body, out var votedOn, out var option, out _))
            return new(n, voter, "ballot_malformed", $"ballot {n} is no committee.vote request");
        if (votedOn != proposal || !signed.TryGetProperty("target", out var target) || target.GetString() != proposalsActor)
            return new(n, voter, "ballot_wrong_proposal", $"ballot {n} was cast on another proposal or dataset");
        if (option != counted.GetString() || !options.Contains(option))
            return new(n, voter, "ballot_option_mismatch", $"ballot {n} as signed chose {option}, the tally counts {counted.GetString()}");
        if (!members.Any(m => m.Actor == voter)) return new(n, voter, "ballot_not_a_member", $"{voter} is no member of the committee");
        if (!seen.Add(voter)) return new(n, voter, "ballot_duplicate", $"{voter} has more than one ballot");
        return null;
    }
}
