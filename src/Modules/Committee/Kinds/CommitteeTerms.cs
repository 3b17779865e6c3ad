using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Modules.Committee.Kinds;

/// <summary>One member node of a committee: its actor (it signs the organisation's ballots) and its weight.</summary>
public sealed record CommitteeMember(string Actor, decimal Weight);

/// <summary>A committee as its record says: members and weights, its proposals and decisions datasets, the settings it governs.</summary>
public sealed record CommitteeTerms(string Id, IReadOnlyList<CommitteeMember> Members, string Proposals, string Decisions, IReadOnlyList<string> Governs)
{
    public CommitteeMember? Member(string actor) => Members.FirstOrDefault(m => m.Actor == actor);

    public static CommitteeTerms Of(string id, JsonElement data) => new(
        id,
        MembersOf(data.GetProperty("members")),
        data.GetProperty("proposals").GetString()!,
        data.GetProperty("decisions").GetString()!,
        data.TryGetProperty("governs", out var g) ? g.EnumerateArray().Select(s => s.GetString()!).ToList() : []);

    /// <summary>Members as a committee record or a tally lists them (weight 1 when absent).</summary>
    public static IReadOnlyList<CommitteeMember> MembersOf(JsonElement members) =>
        members.EnumerateArray().Select(m => new CommitteeMember(
            m.GetProperty("actor").GetString()!, m.TryGetProperty("weight", out var w) ? Decimals.Read(w) : 1m)).ToList();

    public static JsonArray MembersJson(IEnumerable<CommitteeMember> members) =>
        new(members.Select(m => (JsonNode)new JsonObject { ["actor"] = m.Actor, ["weight"] = Decimals.Text(m.Weight) }).ToArray());
}

/// <summary>
/// Weights, shares and counts in a signed tally are decimal text ("1.5"): the proof's canonical form (JCS) reads JSON
/// numbers as binary floating point, which a decimal need not survive. A committee record may give them as numbers.
/// </summary>
public static class Decimals
{
    public static decimal Read(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? decimal.Parse(value.GetString()!, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture)
        : value.GetDecimal();

    public static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
