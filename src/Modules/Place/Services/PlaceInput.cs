using System.Globalization;
using System.Text.Json;
using Commons.Core.Errors;

namespace Commons.Modules.Place.Services;

/// <summary>
/// Reading what a member or a peer sends: a field missing or of the wrong shape is a validation error at its path,
/// the same from the API, a page's form and a peer's request.
/// </summary>
public static class PlaceInput
{
    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ValidationException.For(field, $"'{field}' is required") : value.Trim();

    /// <summary>An ISO 8601 instant that states its offset: without one, two nodes (or a browser and the node) would read different times.</summary>
    public static DateTimeOffset Instant(string? value, string field)
    {
        var text = Required(value, field);
        var statesOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!statesOffset || !DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            throw ValidationException.For(field, "an ISO 8601 instant with its offset, such as 2026-03-29T10:00:00+02:00");
        return instant;
    }

    /// <summary>A text field of a peer's request body, or null when absent.</summary>
    public static string? Field(JsonElement body, string field)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw ValidationException.For(field, $"'{field}' is text");
    }
}
