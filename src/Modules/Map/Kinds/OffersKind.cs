using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Map.Kinds;

/// <summary>
/// What the organisation offers to others and what it needs. Shared on approval by default: a steward sees who
/// follows what the collective holds and lacks; contact stays home. The rules are the ones no schema says: a window
/// that ends after it starts, an expiry not already past, amounts and capacities that make sense, prices complete.
/// </summary>
public sealed class OffersKind : DatasetKind
{
    public const string KindName = "map.offers";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = MapSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Carte : offres et besoins", "Kaart: aanbod en vraag", "Map: offers and needs");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Approval;
    public override IReadOnlyList<string> DefaultExcludedFields => ["contact"];
    public override IReadOnlyList<string> ProblemCodes => MapCodes.OfOffers;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        if (write.IsDelete) return;
        var next = write.Next.Data;
        var from = Instant(next, "available_from");
        var until = Instant(next, "available_until");
        if (from is not null && until is not null && until <= from)
            throw new RuleViolationException(MapCodes.AvailabilityEndsBeforeStart, "Ends before it starts",
                "available_until is after available_from", "available_until");
        var expires = Instant(next, "expires_at");
        // Only a new or changed expiry is judged: a listing that lapsed may still be closed or corrected.
        var before = write.Previous is { } p ? Instant(p.Data, "expires_at") : null;
        if (expires is not null && expires != before && expires < write.Next.UpdatedAt)
            throw new RuleViolationException(MapCodes.ExpiryInPast, "Expiry in the past", "expires_at is in the future", "expires_at");
        if (next.TryGetProperty("conditions", out var conditions))
        {
            var i = 0;
            foreach (var condition in conditions.EnumerateArray()) CheckCondition(condition, $"conditions/{i++}");
        }
        if (next.TryGetProperty("capacity", out var capacity) && Amount(capacity.GetProperty("amount"), "capacity/amount") <= 0)
            throw new RuleViolationException(MapCodes.CapacityNotPositive, "Capacity not positive", "a capacity is more than zero", "capacity/amount");
    }

    private static void CheckCondition(JsonElement condition, string path)
    {
        var has = (string name) => condition.TryGetProperty(name, out _);
        if (condition.TryGetProperty("amount", out var amount) && Amount(amount, $"{path}/amount") < 0)
            throw new RuleViolationException(MapCodes.AmountNegative, "Negative amount", "an amount is zero or more", $"{path}/amount");
        switch (condition.GetProperty("type").GetString())
        {
            case "price_eur" when !has("amount") || !has("unit"):
                throw new RuleViolationException(MapCodes.PriceIncomplete, "Price incomplete", "a price in euros has an amount and a unit", path);
            case "credit" when !has("amount") || !has("unit") || !has("currency"):
                throw new RuleViolationException(MapCodes.CreditIncomplete, "Credit incomplete",
                    "a price in credit has an amount, a unit and the exchange group's currency", path);
        }
    }

    /// <summary>A JSON number as a decimal; one beyond decimal's range (1e40) is no amount a listing means.</summary>
    private static decimal Amount(JsonElement number, string path) => number.TryGetDecimal(out var amount) ? amount
        : throw new RuleViolationException(MapCodes.AmountNegative, "Amount out of range", "an amount is a decimal number from zero up", path);

    private static DateTimeOffset? Instant(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value)) return null;
        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
            : throw new RuleViolationException(MapCodes.InvalidInstant, "Not an instant", $"'{value.GetString()}' is no real date and time", name);
    }
}
