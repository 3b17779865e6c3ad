using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Modules;

namespace Commons.Modules.Credit.Kinds;

/// <summary>
/// A group's limits (the group's lowest and highest balances and each member's override) change through one door, the
/// limits change (<c>Services/CreditLimits</c>), which asks the committee when it governs <c>credit.limits</c>. That
/// change leaves a pass for the exact limits it writes, in the module's documents; the group's rules, inside the
/// record write, let a change of limits through only with its pass (and use it up). So a plain record write through
/// the generic dataset API cannot change limits, governed or not: <see cref="CreditCodes.LimitsGoverned"/>.
/// </summary>
public static class LimitsPass
{
    private const string Collection = "limits-pass";

    /// <summary>Left by the limits change just before it writes the group <paramref name="group"/> of dataset <paramref name="datasetKey"/>.</summary>
    public static void Leave(IModuleData data, int datasetKey, string group, JsonElement next) =>
        data.Put(Collection, Key(datasetKey, group), JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["limits"] = Limits(next, next) }));

    /// <summary>
    /// True when the write changes no limits (a new group sets its first ones), or when a pass was left for exactly the
    /// limits it writes (the pass is then used up). A group re-created over a deleted one's id needs a pass too.
    /// </summary>
    public static bool Admits(IModuleData data, int datasetKey, string group, JsonElement? previous, bool recreated, JsonElement next)
    {
        if (previous is { } p ? Limits(p, next) == Limits(next, next) : !recreated) return true;
        var key = Key(datasetKey, group);
        if (data.Get(Collection, key) is not { } pass || pass.GetProperty("limits").GetString() != Limits(next, next)) return false;
        data.Delete(Collection, key);
        return true;
    }

    /// <summary>
    /// The limits of <paramref name="source"/> for the members <paramref name="members"/> lists, as one text: the
    /// group's two, then each member's override (none when it has none or is not in <paramref name="source"/>).
    /// </summary>
    private static string Limits(JsonElement source, JsonElement members)
    {
        var text = new StringBuilder();
        text.Append(Amount(source, "lowest")).Append('|').Append(Amount(source, "highest"));
        var overrides = source.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("actor").GetString()!, m => m);
        foreach (var m in members.GetProperty("members").EnumerateArray())
        {
            var actor = m.GetProperty("actor").GetString()!;
            var known = overrides.TryGetValue(actor, out var o);
            text.Append('|').Append(actor).Append('=').Append(known ? Amount(o, "lowest") : "").Append(':').Append(known ? Amount(o, "highest") : "");
        }
        return text.ToString();
    }

    private static string Amount(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.GetString() is { } s && decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string Key(int datasetKey, string group) => $"{datasetKey}|{group}";
}
