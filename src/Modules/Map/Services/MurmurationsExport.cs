using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Modules.Map.Services;

/// <summary>
/// The profile in the shape of the Murmurations organisations schema (organizations_schema-v1.0.0), so maps that read
/// Murmurations profiles can show our node. Fields the profile's dataset keeps home (contact, telephone by default)
/// are left out, as they are from federation. Murmurations holds one description and mission: English first, then
/// French, then Dutch.
/// </summary>
public static class MurmurationsExport
{
    public const string LinkedSchema = "organizations_schema-v1.0.0";

    private static readonly Dictionary<string, string> Predicates = new()
    {
        ["member_of"] = "https://schema.org/memberOf",
        ["partner_of"] = "https://schema.org/knows",
        ["shares_staff_with"] = "https://schema.org/colleague",
    };

    public static JsonObject Of(ProfileView profile)
    {
        var data = profile.Data;
        // A field kept home in part (contact_details.email) is left out whole.
        bool Kept(string field) => !profile.ExcludedFields.Any(f => f == field || f.StartsWith(field + ".", StringComparison.Ordinal))
            && data.TryGetProperty(field, out _);
        var o = new JsonObject { ["linked_schemas"] = new JsonArray(LinkedSchema) };
        o["name"] = data.GetProperty("name").GetString();
        if (Kept("nickname") && data.GetProperty("nickname").GetArrayLength() > 0) o["nickname"] = data.GetProperty("nickname")[0].GetString();
        if (Kept("primary_url")) o["primary_url"] = data.GetProperty("primary_url").GetString();
        if (Kept("sectors")) o["tags"] = JsonNode.Parse(data.GetProperty("sectors").GetRawText());
        if (Kept("urls")) o["urls"] = JsonNode.Parse(data.GetProperty("urls").GetRawText());
        if (Kept("description") && OneText(data.GetProperty("description")) is { } description) o["description"] = description;
        if (Kept("mission") && OneText(data.GetProperty("mission")) is { } mission) o["mission"] = mission;
        if (Kept("full_address")) o["full_address"] = data.GetProperty("full_address").GetString();
        if (Kept("country_iso_3166")) o["country_iso_3166"] = data.GetProperty("country_iso_3166").GetString();
        if (Kept("geolocation")) o["geolocation"] = JsonNode.Parse(data.GetProperty("geolocation").GetRawText());
        if (Kept("relationships"))
            o["relationships"] = new JsonArray(data.GetProperty("relationships").EnumerateArray().Select(r => (JsonNode)new JsonObject
            {
                ["predicate_url"] = Predicates[r.GetProperty("predicate").GetString()!],
                ["object_url"] = r.GetProperty("object_url").GetString(),
            }).ToArray());
        if (Kept("contact_details")) o["contact_details"] = JsonNode.Parse(data.GetProperty("contact_details").GetRawText());
        if (Kept("telephone")) o["telephone"] = data.GetProperty("telephone").GetString();
        return o;
    }

    private static string? OneText(JsonElement texts)
    {
        foreach (var language in new[] { "en", "fr", "nl" })
            if (texts.TryGetProperty(language, out var t) && t.GetString() is { Length: > 0 } s) return s;
        return null;
    }
}
