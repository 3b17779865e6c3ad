using System.Text.Json;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// Whether a resource needs a steward's approval (<c>approval</c>: <c>steward</c>), read safely from any record — a
/// copy of another node's resource included — with the name the place's rules give it (<see cref="ResourceTerms"/>).
/// </summary>
public static class ApprovalRules
{
    public static bool NeedsSteward(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("approval", out var a)
        && a.ValueKind == JsonValueKind.String && a.GetString() == ResourceTerms.StewardApproval;
}
