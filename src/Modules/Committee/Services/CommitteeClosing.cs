using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Services;

/// <summary>
/// Closing a proposal on the coordinating node: the proposal is marked closing (no ballot is taken after that, in the
/// same transaction that reads the ballots), the ballots are counted with the members' weights under the proposal's
/// quorum and rule, and the outcome goes into the committee's decisions dataset with a tally signed by that dataset
/// (FEP-8b32): the proposal's terms, the members and weights, the counts, and every ballot as its voter signed it.
/// Closing twice gives the decision already written.
/// </summary>
public sealed class CommitteeClosing(IDatasetStore datasets, IRecordStore records, RecordService writes, IModuleStore modules,
    IObjectProofs proofs, TimeProvider clock)
{
    public const string TallyType = "commons:Tally";

    /// <summary>
    /// Closes <paramref name="id"/> of proposals dataset <paramref name="proposals"/> and returns the decision record's
    /// data; <c>voting_open</c> before the closing time. <paramref name="by"/> is the steward, or the module for the timer.
    /// </summary>
    public JsonElement Close(string proposals, string id, string by)
    {
        var now = clock.GetUtcNow();
        var (terms, committee, ballots, decided) = modules.Write(CommitteeBook.Module, data =>
        {
            var book = new CommitteeBook(data);
            var terms = book.Proposal(proposals, id) ?? throw new NotFoundException($"no proposal '{id}' in {proposals}", CommitteeCodes.ProposalUnknown);
            var committee = book.CommitteeOf(proposals) ?? throw new RuleViolationException(CommitteeCodes.CommitteeUnknown, "No committee", $"{proposals} belongs to no committee");
            if (book.IsDecided(proposals, id)) return (terms, committee, (IReadOnlyList<Ballot>)[], true);
            if (now < terms.Closes)
                throw new RuleConflictException(CommitteeCodes.VotingOpen, "Voting open", $"voting on {id} closes at {terms.Closes:O}");
            book.MarkClosing(proposals, id);
            return (terms, committee, book.Ballots(proposals, id), false);
        });
        var decisions = datasets.Find(committee.Decisions) is { Kind: DecisionsKind.KindName } d ? d
            : throw new NotFoundException($"committee {committee.Id} names no decisions dataset '{committee.Decisions}' on this node");
        if (decided)
        {
            MarkClosed(proposals, id, by, now);
            return Existing(decisions, id);
        }
        // A member removed since it voted no longer counts; its ballot stays out of the tally.
        var counted = ballots.Where(b => committee.Member(b.Voter) is not null).OrderBy(b => b.Voter, StringComparer.Ordinal).ToList();
        var result = Tally.Count(committee.Members, counted.Select(b => (b.Voter, b.Option)), terms.Options, terms.Quorum, terms.Rule);
        var signedBallots = counted.Select(BallotJson).ToList();
        var tallyJson = TallyJson(proposals, terms, committee, result, now);
        // Past a record's size, the ballots go in signed pages beside the decision (BallotPages), written first.
        if (BallotPages.Split(signedBallots) is { } pages)
        {
            tallyJson["ballotPages"] = WritePages(decisions, id, pages, by);
            tallyJson["ballotCount"] = signedBallots.Count;
        }
        else tallyJson["ballots"] = new JsonArray([.. signedBallots]);
        var tally = proofs.Sign(decisions.Slug, JsonSerializer.SerializeToElement<JsonNode>(tallyJson));
        var decision = new JsonObject
        {
            ["proposal"] = id, ["title"] = JsonNode.Parse(terms.Title.GetRawText()), ["outcome"] = result.Outcome,
            ["decidedAt"] = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            ["tally"] = JsonNode.Parse(tally.GetRawText()), ["status"] = "planned",
        };
        if (result.Chosen is { } chosen) decision["chosen"] = chosen;
        var data = JsonSerializer.SerializeToElement<JsonNode>(decision);
        try
        {
            writes.CreateDecided(decisions, by, id, data);
        }
        catch (ConflictException)
        {
            // Another closing (a steward and the timer at once) wrote it first.
            return Existing(decisions, id);
        }
        MarkClosed(proposals, id, by, now);
        return data;
    }

    /// <summary>Closes every proposal whose closing time has passed and that is not decided yet; returns how many.</summary>
    public int CloseDue()
    {
        var now = clock.GetUtcNow();
        var due = modules.Read(CommitteeBook.Module, data =>
        {
            var book = new CommitteeBook(data);
            return book.AllProposals().Where(p => p.Terms.Closes <= now && !book.IsDecided(p.Proposals, p.Terms.Id)).ToList();
        });
        foreach (var (proposals, terms) in due) Close(proposals, terms.Id, CommitteeBook.Module);
        return due.Count;
    }

    /// <summary>
    /// Writes <c>closed</c> into the proposal once its decision is written: the record's update sends the final
    /// <c>Update{Question}</c>, with the counts, to the member nodes. Once only; closing again after a crash in between does it.
    /// </summary>
    private void MarkClosed(string proposals, string id, string by, DateTimeOffset now)
    {
        if (datasets.Find(proposals) is not { } dataset || records.Get(dataset.Key, id) is not { Deleted: false } proposal
            || proposal.Data.TryGetProperty("closed", out _)) return;
        var next = JsonNode.Parse(proposal.Data.GetRawText())!.AsObject();
        next["closed"] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            writes.UpdateDecided(dataset, by, id, JsonSerializer.SerializeToElement<JsonNode>(next), proposal.Revision);
        }
        catch (CommonsException e) when (e is ConflictException or PreconditionFailedException)
        {
            // Another closing marked it meanwhile.
        }
    }

    private JsonElement Existing(Dataset decisions, string id) =>
        records.Get(decisions.Key, id) is { Deleted: false } r ? r.Data : throw new NotFoundException($"no decision '{id}'");

    /// <summary>
    /// Writes each page signed by the decisions dataset and returns the tally's references to them. A page already
    /// there with the same ballots (a closing that stopped before its decision, or another closing at once) is kept.
    /// </summary>
    private JsonArray WritePages(Dataset decisions, string id, IReadOnlyList<JsonArray> pages, string by)
    {
        var refs = new JsonArray();
        for (var n = 1; n <= pages.Count; n++)
        {
            var pageId = BallotPages.PageId(id, n);
            var page = proofs.Sign(decisions.Slug, JsonSerializer.SerializeToElement<JsonNode>(BallotPages.Page(id, n, pages.Count, pages[n - 1])));
            try
            {
                writes.CreateDecided(decisions, by, pageId, page);
            }
            catch (ConflictException) when (records.Get(decisions.Key, pageId) is { Deleted: false } r
                && JsonElement.DeepEquals(r.Data.GetProperty("ballots"), page.GetProperty("ballots")) && r.Data.GetProperty("of").GetInt32() == pages.Count)
            {
                page = records.Get(decisions.Key, pageId)!.Data;
            }
            refs.Add(new JsonObject { ["id"] = pageId, ["count"] = pages[n - 1].Count, ["proof"] = BallotPages.ProofValue(page) });
        }
        return refs;
    }

    private static JsonNode BallotJson(Ballot b) => new JsonObject
    {
        ["voter"] = b.Voter, ["option"] = b.Option, ["reason"] = b.Reason, ["at"] = b.At.ToString("O"),
        ["signed"] = JsonNode.Parse(b.Signed.GetRawText()),
    };

    private JsonObject TallyJson(string proposals, ProposalTerms terms, CommitteeTerms committee, TallyResult result, DateTimeOffset now)
    {
        var tally = new JsonObject
        {
            ["type"] = TallyType,
            ["proposal"] = terms.Id,
            ["proposals"] = proofs.ActorOf(proposals),
            ["committee"] = committee.Id,
            ["members"] = CommitteeTerms.MembersJson(committee.Members),
            ["rule"] = terms.Rule,
            ["quorum"] = Decimals.Text(terms.Quorum),
            ["options"] = new JsonArray(terms.Options.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray()),
            ["opens"] = terms.Opens.ToString("O"),
            ["closes"] = terms.Closes.ToString("O"),
            ["counts"] = new JsonObject(result.Counts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)Decimals.Text(c.Value)))),
            ["voted"] = Decimals.Text(result.Voted),
            ["total"] = Decimals.Text(result.Total),
            ["outcome"] = result.Outcome,
            ["decidedAt"] = now.ToString("O"),
        };
        if (result.Chosen is { } chosen) tally["chosen"] = chosen;
        if (terms.Authorises is { } a) tally["authorises"] = new JsonObject { ["setting"] = a.Setting, ["scope"] = a.Scope };
        return tally;
    }
}
