namespace Commons.Modules.Place.Calendar;

/// <summary>What a calendar feed shows: the bookings of one resource, or one booking organisation's bookings on every resource.</summary>
public sealed record FeedTarget(string Kind, string Id)
{
    public const string Resource = "resource";
    public const string Organisation = "organisation";

    public static FeedTarget OfResource(string id) => new(Resource, id);
    public static FeedTarget OfOrganisation(string id) => new(Organisation, id);

    public string Key => $"{Kind}/{Id}";
}

/// <summary>A feed as its managers see it: never its token, which is shown once, when it is made.</summary>
public sealed record FeedView(FeedTarget Target, Commons.Core.Datasets.LocalizedText Name, bool Active, string? Language, DateTimeOffset? Since, string? By);

/// <summary>A feed just made or rotated: the token, shown this once; only its SHA-256 is kept.</summary>
public sealed record IssuedFeed(FeedTarget Target, string Token, string Language);
