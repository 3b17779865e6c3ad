using System.Text.Json;
using Commons.Core.Exchanges;

namespace Commons.Modules.Committee.Api;

/// <summary>A ballot to cast as this node: the proposals dataset (handle or actor URL), the proposal's id, the option, an optional reason.</summary>
public sealed record VoteBody(string? Target, string? Proposal, string? Option, string? Reason);

/// <summary>A ballot sent: its request id, the proposal and option, and the coordinator's answer (pending, accepted, refused with its code).</summary>
public sealed record BallotResponse(string RequestId, string Target, string? Proposal, string? Option, string State, string? Code, string? Detail, DateTimeOffset CreatedAt)
{
    public static BallotResponse From(Exchange e) => new(e.Id, e.TargetActor, Text(e.Body, "proposal"), Text(e.Body, "option"),
        e.State.ToString().ToLowerInvariant(), e.Code, e.Detail, e.CreatedAt);

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A decision as its record says: outcome, the option chosen among several, when, and its follow-up.</summary>
public sealed record DecisionResponse(string Proposal, string Outcome, string? Chosen, string DecidedAt, string Status, string? Owner, int Ballots)
{
    public static DecisionResponse From(JsonElement d) => new(
        d.GetProperty("proposal").GetString()!, d.GetProperty("outcome").GetString()!,
        d.TryGetProperty("chosen", out var c) ? c.GetString() : null, d.GetProperty("decidedAt").GetString()!, d.GetProperty("status").GetString()!,
        d.TryGetProperty("owner", out var o) ? o.GetString() : null, d.GetProperty("tally").GetProperty("ballots").GetArrayLength());
}

/// <summary>A due date of a decision's follow-up (yyyy-MM-dd) and what is due then.</summary>
public sealed record DueBody(string? Date, string? What);

/// <summary>A decision's follow-up: its owner organisation (a member node's actor), due dates, status (planned, in_progress, done, dropped); absent fields stay.</summary>
public sealed record FollowUpBody(string? Owner, List<DueBody>? Due, string? Status);

/// <summary>One change of a governed setting and the decision behind it.</summary>
public sealed record GovernedChangeResponse(string Setting, string Scope, string ChangedBy, DateTimeOffset At, string? Decision, string? DecisionTitle);

/// <summary>A follow-up update sent by the owner organisation: the decision's id, the new status and/or due dates (absent: unchanged).</summary>
public sealed record FollowUpUpdateBody(string? Decision, string? Status, List<DueBody>? Due);

/// <summary>A follow-up update sent: its request id, the decision, the status asked, and the coordinator's answer (pending, accepted, refused with its code).</summary>
public sealed record FollowUpSentResponse(string RequestId, string Target, string? Decision, string? Status, string State, string? Code, string? Detail, DateTimeOffset CreatedAt)
{
    public static FollowUpSentResponse From(Exchange e) => new(e.Id, e.TargetActor, Text(e.Body, "decision"), Text(e.Body, "status"),
        e.State.ToString().ToLowerInvariant(), e.Code, e.Detail, e.CreatedAt);

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
