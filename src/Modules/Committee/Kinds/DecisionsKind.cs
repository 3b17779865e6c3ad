using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Committee.Kinds;

/// <summary>
/// A committee's decisions, one record per closed proposal under the proposal's id: the outcome, its date and the
/// signed tally with every signed ballot (a large tally's ballots in signed pages beside it, <see cref="BallotPages"/>),
/// then the follow-up of an adopted decision. Shared with approved followers by default:
/// every member node keeps a replica and can recount.
/// </summary>
public sealed class DecisionsKind : DatasetKind
{
    public const string KindName = "committee.decisions";

    public override string Name => KindName;
    public override int SchemaVersion => 2;
    public override string Schema { get; } = CommitteeSchemas.Read(KindName, 2);
    public override LocalizedText Title => new("Comité de pilotage : décisions", "Stuurcomité: besluiten", "Steering committee: decisions");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Approval;
    public override IReadOnlyList<string> ProblemCodes => CommitteeCodes.OfDecisions;

    /// <summary>Version 1's decisions are version 2 decisions as they are: v2 only adds the pages of a large tally's ballots.</summary>
    public override JsonElement Upgrade(int fromVersion, JsonElement data) => fromVersion == 1 ? data : base.Upgrade(fromVersion, data);

    /// <summary>
    /// The dataset belongs to a committee and the decision is one of its proposals (the record's id is the proposal's),
    /// written by its closing (the proposal is marked closing first).
    /// Once written, its proposal, outcome, date and tally never change and it is never deleted; the owner, due dates
    /// and status follow the implementation. Writing it marks the proposal decided: no ballot is taken after it.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var book = new CommitteeBook(data);
        var slug = write.Dataset.Slug;
        var id = write.Next.Id;
        var committee = book.CommitteeOf(slug) is { } c && c.Decisions == slug ? c
            : throw new RuleViolationException(CommitteeCodes.CommitteeUnknown, "No committee", $"dataset {slug} holds the decisions of no committee of this node");
        if (write.IsDelete)
            throw new RuleConflictException(CommitteeCodes.DecisionFinal, "Decision final", $"decision {id} is kept for good");
        if (write.Previous is { } stored && (BallotPages.IsPage(stored.Data) || BallotPages.IsPage(write.Next.Data)))
        {
            if (!JsonElement.DeepEquals(stored.Data, write.Next.Data))
                throw new RuleConflictException(CommitteeCodes.DecisionFinal, "Decision final", $"page {id} of a tally's ballots never changes");
            return;
        }
        if (BallotPages.IsPage(write.Next.Data))
        {
            CheckPage(book, committee, id, write.Next.Data);
            return;
        }
        if (write.Previous is { } previous)
        {
            foreach (var field in new[] { "proposal", "outcome", "chosen", "decidedAt", "tally" })
                if (!SameField(previous.Data, write.Next.Data, field))
                    throw new RuleConflictException(CommitteeCodes.DecisionFinal, "Decision final", $"{field} of decision {id} never changes; only its follow-up does");
            return;
        }
        var proposal = write.Next.Data.GetProperty("proposal").GetString();
        if (proposal != id || write.Next.Data.GetProperty("tally").GetProperty("proposal").GetString() != id)
            throw new RuleViolationException(CommitteeCodes.DecisionInvalid, "Decision invalid", "a decision's id, proposal and tally name the same proposal", "proposal");
        if (book.Proposal(committee.Proposals, id) is null)
            throw new RuleViolationException(CommitteeCodes.DecisionInvalid, "Decision invalid", $"{id} is no proposal of committee {committee.Id}", "proposal");
        // Only a closing writes a decision: a steward cannot hand-write an outcome the votes did not give.
        if (!book.IsClosing(committee.Proposals, id))
            throw new RuleViolationException(CommitteeCodes.DecisionInvalid, "Decision invalid", $"proposal {id} has not been closed; closing writes its decision", "proposal");
        book.MarkDecided(committee.Proposals, id, slug);
    }

    /// <summary>A page of a tally's ballots (<see cref="BallotPages"/>): written by its proposal's closing, before the decision, under its own id.</summary>
    private static void CheckPage(CommitteeBook book, CommitteeTerms committee, string id, JsonElement page)
    {
        var proposal = page.GetProperty("proposal").GetString()!;
        if (id != BallotPages.PageId(proposal, page.GetProperty("page").GetInt32()) || book.Proposal(committee.Proposals, proposal) is null)
            throw new RuleViolationException(CommitteeCodes.DecisionInvalid, "Decision invalid", $"{id} is no page of the ballots of a proposal of committee {committee.Id}", "proposal");
        if (!book.IsClosing(committee.Proposals, proposal) || book.IsDecided(committee.Proposals, proposal))
            throw new RuleViolationException(CommitteeCodes.DecisionInvalid, "Decision invalid", $"the ballots of {proposal} are written by its closing, before its decision", "proposal");
    }

    private static bool SameField(JsonElement a, JsonElement b, string field)
    {
        var hasA = a.TryGetProperty(field, out var x);
        var hasB = b.TryGetProperty(field, out var y);
        return hasA == hasB && (!hasA || JsonElement.DeepEquals(x, y));
    }
}
