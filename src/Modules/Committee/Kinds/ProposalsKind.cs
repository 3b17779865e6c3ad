using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Committee.Kinds;

/// <summary>
/// A committee's proposals, on its coordinating node, in the dataset the committee names; one record per proposal.
/// Shared with approved followers by default: the member nodes follow it to learn what is put to the vote. Ballots never go
/// into these records (they are kept in the module's documents), so nothing of the votes replicates before closing.
/// </summary>
public sealed class ProposalsKind : DatasetKind
{
    public const string KindName = "committee.proposals";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = CommitteeSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Comité de pilotage : propositions", "Stuurcomité: voorstellen", "Steering committee: proposals");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Approval;
    public override IReadOnlyList<string> ProblemCodes => CommitteeCodes.OfProposals;
    /// <summary>A ballot's option stays the voter's: the coordinator's exchanges never show it; the tally publishes it at closing.</summary>
    public override IReadOnlySet<string> SealedRequestTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { Requests.VoteRequestHandler.Type };

    /// <summary>
    /// The dataset belongs to a committee; voting closes after it opens; no option twice; consent only between yes and
    /// no; what it authorises is a setting the committee governs. Once a member has voted, or it is decided, the
    /// proposal no longer changes.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var book = new CommitteeBook(data);
        var slug = write.Dataset.Slug;
        var id = write.Next.Id;
        var committee = book.CommitteeOf(slug) is { } c && c.Proposals == slug ? c
            : throw new RuleViolationException(CommitteeCodes.CommitteeUnknown, "No committee", $"dataset {slug} holds the proposals of no committee of this node");
        var closing = book.IsDecided(slug, id) || book.IsClosing(slug, id);
        // The closing marks the proposal closed (its final Question goes to the members); nothing else changes with it.
        if (write.Previous is { } previous && !write.IsDelete && closing && OnlyClosedAdded(previous.Data, write.Next.Data)) return;
        if (write.Previous is not null && (book.HasBallots(slug, id) || closing))
            throw new RuleConflictException(CommitteeCodes.ProposalLocked, "Proposal locked", $"proposal {id} has ballots or a decision; it no longer changes");
        if (write.IsDelete)
        {
            book.DeleteProposal(slug, id);
            return;
        }
        if (write.Next.Data.TryGetProperty("closed", out _))
            throw Invalid("closed is written by the proposal's closing", "closed");
        var terms = ProposalTerms.Of(id, write.Next.Data);
        if (terms.Closes <= terms.Opens)
            throw Invalid("voting closes after it opens", "closes");
        if (terms.Options.Distinct(StringComparer.Ordinal).Count() != terms.Options.Count)
            throw Invalid("each option is offered once", "options");
        if (terms.Rule == VotingRules.Consent && !terms.IsYesNo)
            throw Invalid("consent (no objection) is a vote between yes and no", "rule");
        if (terms.Authorises is { } a && !committee.Governs.Contains(a.Setting))
            throw Invalid($"committee {committee.Id} does not govern {a.Setting}", "authorises");
        book.PutProposal(slug, id, write.Next.Data);
    }

    private static bool OnlyClosedAdded(System.Text.Json.JsonElement before, System.Text.Json.JsonElement after)
    {
        if (before.TryGetProperty("closed", out _) || !after.TryGetProperty("closed", out _)) return false;
        var rest = System.Text.Json.Nodes.JsonNode.Parse(after.GetRawText())!.AsObject();
        rest.Remove("closed");
        return System.Text.Json.Nodes.JsonNode.DeepEquals(rest, System.Text.Json.Nodes.JsonNode.Parse(before.GetRawText()));
    }

    private static RuleViolationException Invalid(string detail, string path) =>
        new(CommitteeCodes.ProposalInvalid, "Proposal invalid", detail, path);
}
