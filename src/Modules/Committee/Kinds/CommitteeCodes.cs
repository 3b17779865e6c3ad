namespace Commons.Modules.Committee.Kinds;

/// <summary>
/// The codes the committee's rules and requests answer with: the same on the API (problem+json), in a page and in a
/// refused ballot from a peer. Listed in docs/problems.md, section Modules.
/// </summary>
public static class CommitteeCodes
{
    /// <summary>422: a member listed twice, the proposals and decisions datasets the same, or a dataset another committee uses.</summary>
    public const string CommitteeInvalid = "committee_invalid";
    /// <summary>422: the proposals or decisions dataset is named by no committee of this node.</summary>
    public const string CommitteeUnknown = "committee_unknown";
    /// <summary>422: closing not after opening, an option twice, consent with several choices, or authorising a setting the committee does not govern.</summary>
    public const string ProposalInvalid = "proposal_invalid";
    /// <summary>409: a proposal that has ballots or a decision is not changed or deleted.</summary>
    public const string ProposalLocked = "proposal_locked";
    /// <summary>404: no such proposal in the asked proposals dataset.</summary>
    public const string ProposalUnknown = "proposal_unknown";
    /// <summary>422: a decision whose id is not a proposal of its committee, or names another proposal.</summary>
    public const string DecisionInvalid = "decision_invalid";
    /// <summary>409: a decision's outcome and tally never change, and a decision is never deleted; only its follow-up does.</summary>
    public const string DecisionFinal = "decision_final";
    /// <summary>409: the ballot came after the proposal closed (or was decided).</summary>
    public const string VotingClosed = "voting_closed";
    /// <summary>409: the ballot came before the proposal opened.</summary>
    public const string VotingNotOpen = "voting_not_open";
    /// <summary>409: closing asked before the closing time.</summary>
    public const string VotingOpen = "voting_open";
    /// <summary>403: the voting node is no member of the proposal's committee.</summary>
    public const string NotAMember = "not_a_member";
    /// <summary>422: the ballot names an option the proposal does not offer.</summary>
    public const string UnknownOption = "unknown_option";
    /// <summary>422: the ballot arrived without its signed activity, so it could never be recounted.</summary>
    public const string BallotUnsigned = "ballot_unsigned";

    /// <summary>404: no decision under that id in the decisions dataset asked (or, on a member node, in any decisions dataset it follows).</summary>
    public const string DecisionUnknown = "decision_unknown";
    /// <summary>403: the follow-up of a decision is updated only by its owner organisation (or a steward of the decisions dataset).</summary>
    public const string NotTheOwner = "not_the_owner";
    /// <summary>409: the status cannot move that way (done and dropped are final), or the decision is not adopted.</summary>
    public const string FollowUpNotAllowed = "followup_not_allowed";

    public static readonly IReadOnlyList<string> OfCommittee = [CommitteeInvalid];
    public static readonly IReadOnlyList<string> OfProposals =
        [CommitteeUnknown, ProposalInvalid, ProposalLocked, ProposalUnknown, VotingClosed, VotingNotOpen, VotingOpen, NotAMember, UnknownOption, BallotUnsigned];
    /// <summary>
    /// The decisions' codes, with the refusals of a governed setting changed without the adopted decision that
    /// authorises it (<see cref="Core.Governance.GovernanceCodes"/>): the committee's IGovernance gives them to the
    /// module that owns the setting, whose write they refuse.
    /// </summary>
    public static readonly IReadOnlyList<string> OfDecisions =
    [
        CommitteeUnknown, DecisionInvalid, DecisionFinal, DecisionUnknown, NotTheOwner, FollowUpNotAllowed,
        Core.Governance.GovernanceCodes.DecisionRequired, Core.Governance.GovernanceCodes.DecisionNotAdopted, Core.Governance.GovernanceCodes.DecisionMismatch,
    ];
}
