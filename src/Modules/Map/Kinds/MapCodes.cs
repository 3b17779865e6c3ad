namespace Commons.Modules.Map.Kinds;

/// <summary>
/// The codes the map's rules answer with: the same code on the API (problem+json) and in a page's inline error.
/// Listed in docs/problems.md, "Modules — map".
/// </summary>
public static class MapCodes
{
    /// <summary>409: the node already has its organisation's profile (one per node); change that one.</summary>
    public const string ProfileExists = "profile_exists";
    /// <summary>422: the availability window's end is not after its start.</summary>
    public const string AvailabilityEndsBeforeStart = "availability_ends_before_start";
    /// <summary>422: a new or changed expiry lies in the past.</summary>
    public const string ExpiryInPast = "expiry_in_past";
    /// <summary>422: a date-time is not a real instant (the 31st of April).</summary>
    public const string InvalidInstant = "invalid_instant";
    /// <summary>422: an amount below zero.</summary>
    public const string AmountNegative = "amount_negative";
    /// <summary>422: a price in euros without its amount or its unit.</summary>
    public const string PriceIncomplete = "price_incomplete";
    /// <summary>422: a price in credit without its amount, unit or currency.</summary>
    public const string CreditIncomplete = "credit_incomplete";
    /// <summary>422: a capacity of zero or less.</summary>
    public const string CapacityNotPositive = "capacity_not_positive";

    /// <summary>409: the node has no dataset of kind map.profile to write its profile in.</summary>
    public const string NoProfileDataset = "no_profile_dataset";
    /// <summary>404: the node has no profile yet.</summary>
    public const string NoProfile = "no_profile";

    /// <summary>422: an administrator's tile server is not one the map loads (not https, no {z}/{x}/{y}, user information, too long, no attribution).</summary>
    public const string InvalidTileServer = "invalid_tile_server";

    /// <summary>The profile kind also declares the map's settings' codes (the map's own kind; settings have none).</summary>
    public static readonly IReadOnlyList<string> OfProfile = [ProfileExists, NoProfileDataset, NoProfile, InvalidTileServer];

    public static readonly IReadOnlyList<string> OfOffers =
        [AvailabilityEndsBeforeStart, ExpiryInPast, InvalidInstant, AmountNegative, PriceIncomplete, CreditIncomplete, CapacityNotPositive];
}
