using System.Text.Json.Serialization;

namespace Commons.Modules.Employers.Services;

/// <summary>A group this node is a member of: an accepted subscription to the group's settings dataset (kind employers.group).</summary>
public sealed record MemberGroup(string Subscription, string DatasetActor, string Name);

/// <summary>A worker the group assigned to this node's organisation, as the group's <c>membership</c> view tells it; dates YYYY-MM-DD, open when null.</summary>
public sealed record AssignedWorker(string Id, string Name, string Role, decimal ContractHoursPerWeek, decimal PlannedShare, string? Start, string? End);

/// <summary>
/// What the group node tells this member about its membership: the group, the member's name there, where hours go, who
/// signs the statements, the workers assigned to it and the closed months. <see cref="Fresh"/> is false when the group
/// node could not be asked now and this is what it said at <see cref="At"/>.
/// </summary>
public sealed record Membership(
    string Subscription, string Group, string? Recognition, string Member, string MemberName, string? HoursActor, string Signer,
    IReadOnlyList<AssignedWorker> Workers, IReadOnlyList<string> ClosedMonths, DateTimeOffset At, bool Fresh);

/// <summary>Hours this node sent to the group, and the group's answer: pending, accepted, refused (with the rule's code), or expired.</summary>
public sealed record SentHours(
    string Ref, string Group, string Worker, string Month, string Hours, string State, string? Code, string? Detail,
    string? RequestedBy, DateTimeOffset SentAt, DateTimeOffset? AnsweredAt);

/// <summary>What this member enters: the hours one worker worked for it in a month (a decimal string, at most two decimals).</summary>
public sealed record HoursEntry(string Worker, string Month, string Hours);

/// <summary>
/// A statement fetched from the group node and checked against the RSA keys the group node publishes (origin, not only
/// integrity): valid, or why not (<see cref="Code"/>), the signing key's SHA-256 fingerprint, the signer and the total.
/// </summary>
public sealed record CheckedStatement(
    string Month, string Kind, bool Valid, string Code, string Detail, string Signer, string? KeyFingerprint, decimal? Total)
{
    /// <summary>The signed XML as the group node sent it (served on its own as a download).</summary>
    [JsonIgnore]
    public string Xml { get; init; } = "";
}
