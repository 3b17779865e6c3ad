using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Modules;

namespace Commons.Modules.Committee.Kinds;

/// <summary>A ballot as the coordinator keeps it: the voter, the option, the reason, when, and the request as the voter signed it.</summary>
public sealed record Ballot(string Voter, string Option, string? Reason, DateTimeOffset At, string RequestId, JsonElement Signed);

/// <summary>
/// The committee's own documents (IModuleData, module <c>committee</c>): each committee's terms, which dataset belongs
/// to which committee, each proposal's terms, the ballots per proposal (never in records: records replicate, and hidden
/// results must not leave the node), which proposals are closing or decided, and the governed settings' history.
/// Inside a rule they are bound to the write's transaction.
/// </summary>
public sealed class CommitteeBook(IModuleData data)
{
    public const string Module = "committee";
    private const string Committees = "committees", Bound = "bound", Proposals = "proposals", BallotDocs = "ballots",
        Closing = "closing", Decided = "decided", Governed = "governed";

    public CommitteeTerms? Committee(string id) => data.Get(Committees, id) is { } c ? CommitteeTerms.Of(id, c) : null;
    public IReadOnlyList<CommitteeTerms> AllCommittees() =>
        data.Range(Committees, null, null, int.MaxValue).Select(d => CommitteeTerms.Of(d.Key, d.Value)).ToList();
    public void PutCommittee(string id, JsonElement terms) => data.Put(Committees, id, terms);
    public void DeleteCommittee(string id) => data.Delete(Committees, id);

    /// <summary>The committee whose proposals or decisions dataset <paramref name="slug"/> is.</summary>
    public CommitteeTerms? CommitteeOf(string slug) =>
        data.Get(Bound, slug) is { } b ? Committee(b.GetProperty("committee").GetString()!) : null;
    public string? BoundTo(string slug) => data.Get(Bound, slug)?.GetProperty("committee").GetString();
    public void Bind(string slug, string committee) => data.Put(Bound, slug, Obj(new JsonObject { ["committee"] = committee }));
    public void Unbind(string slug) => data.Delete(Bound, slug);

    public ProposalTerms? Proposal(string proposals, string id) =>
        data.Get(Proposals, Key(proposals, id)) is { } p ? ProposalTerms.Of(id, p) : null;
    public void PutProposal(string proposals, string id, JsonElement terms) => data.Put(Proposals, Key(proposals, id), terms);
    public void DeleteProposal(string proposals, string id) => data.Delete(Proposals, Key(proposals, id));

    /// <summary>Every proposal of the dataset with its id, for the closing pass.</summary>
    public IReadOnlyList<(string Proposals, ProposalTerms Terms)> AllProposals() =>
        data.Range(Proposals, null, null, int.MaxValue).Select(d =>
        {
            var bar = d.Key.IndexOf('|');
            return (d.Key[..bar], ProposalTerms.Of(d.Key[(bar + 1)..], d.Value));
        }).ToList();

    public IReadOnlyList<Ballot> Ballots(string proposals, string id) =>
        data.Range(BallotDocs, Key(proposals, id) + "|", Key(proposals, id) + "}", int.MaxValue).Select(d => BallotOf(d.Value)).ToList();
    public bool HasBallots(string proposals, string id) => data.Range(BallotDocs, Key(proposals, id) + "|", Key(proposals, id) + "}", 1).Count > 0;

    /// <summary>Stores the member's ballot, replacing its earlier one (one per member, the last counts).</summary>
    public void PutBallot(string proposals, string id, Ballot b) => data.Put(BallotDocs, $"{Key(proposals, id)}|{Hash(b.Voter)}", Obj(new JsonObject
    {
        ["voter"] = b.Voter, ["option"] = b.Option, ["reason"] = b.Reason, ["at"] = b.At.ToString("O"), ["requestId"] = b.RequestId,
        ["signed"] = JsonNode.Parse(b.Signed.GetRawText()),
    }));

    public bool IsClosing(string proposals, string id) => data.Get(Closing, Key(proposals, id)) is not null;
    public void MarkClosing(string proposals, string id) => data.Put(Closing, Key(proposals, id), Obj(new JsonObject { ["closing"] = true }));

    public bool IsDecided(string proposals, string id) => data.Get(Decided, Key(proposals, id)) is not null;
    public void MarkDecided(string proposals, string id, string decisions) =>
        data.Put(Decided, Key(proposals, id), Obj(new JsonObject { ["decisions"] = decisions }));

    /// <summary>Adds a governed change; newest first by key (inverted time).</summary>
    public void PutChange(string setting, string scope, DateTimeOffset at, JsonObject change) =>
        data.Put(Governed, $"{setting}|{Hash(scope)}|{long.MaxValue - at.UtcTicks:D19}|{Guid.NewGuid():N}", Obj(change));
    public IReadOnlyList<JsonElement> Changes(string setting, string scope, int limit) =>
        data.Range(Governed, $"{setting}|{Hash(scope)}|", $"{setting}|{Hash(scope)}}}", limit).Select(d => d.Value).ToList();

    private static Ballot BallotOf(JsonElement b) => new(
        b.GetProperty("voter").GetString()!, b.GetProperty("option").GetString()!,
        b.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null,
        DateTimeOffset.Parse(b.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
        b.GetProperty("requestId").GetString()!, b.GetProperty("signed").Clone());

    private static string Key(string proposals, string id) => $"{proposals}|{id}";

    // Actor URLs and scopes may be long; keys stay under the store's limit by hashing them.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static JsonElement Obj(JsonObject o) => JsonSerializer.SerializeToElement<JsonNode>(o);
}
