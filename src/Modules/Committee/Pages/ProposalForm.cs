namespace Commons.Modules.Committee.Pages;

/// <summary>A new proposal as posted: title and text in fr/nl/en, the choices (one per line, empty: yes / no / abstain), times on the Brussels clock, quorum in %, rule, hidden results, what it authorises.</summary>
public sealed class ProposalForm
{
    public string? Dataset { get; set; }
    public string? TitleFr { get; set; }
    public string? TitleNl { get; set; }
    public string? TitleEn { get; set; }
    public string? TextFr { get; set; }
    public string? TextNl { get; set; }
    public string? TextEn { get; set; }
    public string? Choices { get; set; }
    public string? Opens { get; set; }
    public string? Closes { get; set; }
    public string? Quorum { get; set; }
    public string? Rule { get; set; }
    public bool Hidden { get; set; }
    public string? Setting { get; set; }
    public string? Scope { get; set; }
}

/// <summary>A ballot as posted: the option chosen and an optional reason.</summary>
public sealed class VoteForm
{
    public string? Option { get; set; }
    public string? Reason { get; set; }
}

/// <summary>A decision's follow-up as posted by a steward of the decisions dataset: owner, status, and one due date to add.</summary>
public sealed class FollowUpForm
{
    public string? Owner { get; set; }
    public string? Status { get; set; }
    public string? DueDate { get; set; }
    public string? DueWhat { get; set; }
}
