using System.Text.Json;

namespace Commons.Modules.Place.Services;

/// <summary>
/// What a resource says about who books it and how (schema v2): <c>approval</c> <c>steward</c> leaves every new
/// booking pending until a steward approves it (<c>automatic</c>, or absent, confirms at once); <c>bookers</c>, when
/// present, names the peers that may book it (a node's actor URL, or its host as the allow-lists name it).
/// </summary>
public static class ApprovalRules
{
    public const string Steward = "steward";

    public static bool NeedsSteward(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("approval", out var a)
        && a.ValueKind == JsonValueKind.String && a.GetString() == Steward;

    /// <summary>True when the resource names no bookers, or names this peer (by actor URL or host).</summary>
    public static bool AdmitsPeer(JsonElement resource, string actor, string host)
    {
        if (resource.ValueKind != JsonValueKind.Object || !resource.TryGetProperty("bookers", out var list) || list.ValueKind != JsonValueKind.Array)
            return true;
        return list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            .Any(b => string.Equals(b, actor, StringComparison.Ordinal) || string.Equals(b, host, StringComparison.OrdinalIgnoreCase));
    }
}
