using System.Text.Json;

namespace Commons.Modules.Credit.Kinds;

/// <summary>A member node of a group: its actor, its ledger dataset's actor, and its limits.</summary>
public sealed record GroupMember(string Actor, string Ledger, decimal Lowest, decimal Highest);

/// <summary>An exchange group's terms as a <c>credit.group</c> record holds them (schema credit.group.v1).</summary>
public sealed record GroupTerms(string Symbol, int Precision, decimal Lowest, decimal Highest, IReadOnlyList<GroupMember> Members, TimeSpan TransferTimeout, decimal? EuroValue)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromDays(2);

    public GroupMember? Member(string actor) => Members.FirstOrDefault(m => m.Actor == actor);

    public static GroupTerms Of(JsonElement data)
    {
        var unit = data.GetProperty("unit");
        var lowest = Amounts.Parse(data.GetProperty("lowest").GetString()!);
        var highest = Amounts.Parse(data.GetProperty("highest").GetString()!);
        var members = data.GetProperty("members").EnumerateArray().Select(m => new GroupMember(
            m.GetProperty("actor").GetString()!, m.GetProperty("ledger").GetString()!,
            m.TryGetProperty("lowest", out var l) ? Amounts.Parse(l.GetString()!) : lowest,
            m.TryGetProperty("highest", out var h) ? Amounts.Parse(h.GetString()!) : highest)).ToList();
        return new GroupTerms(unit.GetProperty("symbol").GetString()!, unit.GetProperty("precision").GetInt32(), lowest, highest, members,
            data.TryGetProperty("transferTimeoutMinutes", out var t) ? TimeSpan.FromMinutes(t.GetInt32()) : DefaultTimeout,
            data.TryGetProperty("euroValue", out var e) ? Amounts.Parse(e.GetString()!) : null);
    }
}
