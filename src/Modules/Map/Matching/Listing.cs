using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Map.Matching;

/// <summary>A capacity and its unit (persons, m2, m3, kg, items).</summary>
public sealed record Capacity(decimal Amount, string Unit);

/// <summary>A price in the exchange group's credit: the amount per unit (null when not said) and the currency.</summary>
public sealed record CreditPrice(decimal? Amount, string? Unit, string? Currency);

/// <summary>
/// One offer or need as the matcher reads it from a <c>map.offers</c> record, wherever the record is (our dataset or a
/// peer's replica): <see cref="Source"/> says where, <see cref="Organisation"/> whose it is (to never match an
/// organisation with itself).
/// </summary>
public sealed record Listing
{
    public const string Offer = "offer";
    public const string Need = "need";

    public required string Id { get; init; }
    /// <summary>Where the record is: a dataset slug of this node, or the URI of a replicated record's origin.</summary>
    public required string Source { get; init; }
    /// <summary>Whose it is: "" for our own organisation, else the origin node or dataset actor.</summary>
    public string Organisation { get; init; } = "";
    public required string Kind { get; init; }
    public required string Category { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string Language { get; init; } = "fr";
    public DateTimeOffset? AvailableFrom { get; init; }
    public DateTimeOffset? AvailableUntil { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public Capacity? Capacity { get; init; }
    public string? Commune { get; init; }
    public bool Closed { get; init; }
    /// <summary>The first condition priced in credit, when there is one (the "pay" action's amount).</summary>
    public CreditPrice? Credit { get; init; }

    public bool IsNeed => Kind == Need;

    /// <summary>Expired at <paramref name="now"/>: past its expiry, or its availability over.</summary>
    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt <= now || AvailableUntil <= now;

    /// <summary>
    /// Reads a record's data; null when it is not an offer or a need (a replica of another kind, a record the schema of
    /// an older or newer version shaped otherwise): the matcher then skips it rather than guess.
    /// </summary>
    public static Listing? Read(string id, string source, string organisation, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return null;
        if (Text(data, "kind") is not ("offer" or "need") || Text(data, "category") is not { } category || Text(data, "title") is not { } title) return null;
        Capacity? capacity = null;
        if (data.TryGetProperty("capacity", out var c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number && amount.TryGetDecimal(out var value)
            && Text(c, "unit") is { } unit)
            capacity = new Capacity(value, unit);
        return new Listing
        {
            Id = id, Source = source, Organisation = organisation,
            Kind = Text(data, "kind")!, Category = category, Title = title,
            Description = Text(data, "description") ?? "",
            Language = Text(data, "language") ?? "fr",
            AvailableFrom = Instant(data, "available_from"), AvailableUntil = Instant(data, "available_until"),
            ExpiresAt = Instant(data, "expires_at"),
            Capacity = capacity, Commune = Text(data, "commune"),
            Closed = Text(data, "status") == "closed",
            Credit = CreditOf(data),
        };
    }

    private static CreditPrice? CreditOf(JsonElement data)
    {
        if (!data.TryGetProperty("conditions", out var list) || list.ValueKind != JsonValueKind.Array) return null;
        foreach (var condition in list.EnumerateArray())
            if (condition.ValueKind == JsonValueKind.Object && Text(condition, "type") == "credit")
                return new CreditPrice(
                    condition.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetDecimal(out var amount) && amount >= 0 ? amount : null,
                    Text(condition, "unit"), Text(condition, "currency"));
        return null;
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Instant(JsonElement data, string name) =>
        Text(data, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
