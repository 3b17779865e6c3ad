namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// How far and how fast the directory's crawl goes, bound from the configuration section <c>Map:Crawl</c>. The crawl
/// reads only what anyone may read (public profiles), and no more of it than these limits allow.
/// </summary>
public sealed class CrawlOptions
{
    public const string SectionName = "Map:Crawl";
    public const int MaxDepth = 3;

    /// <summary>Steps of public relationships followed from the nodes we know directly (1 to 3).</summary>
    public int Depth { get; set; } = 2;

    /// <summary>At most one request to a host in this interval.</summary>
    public TimeSpan HostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests one run sends at most, every host together.</summary>
    public int MaxFetchesPerRun { get; set; } = 200;

    /// <summary>A profile larger than this (as JSON) is skipped.</summary>
    public int MaxProfileBytes { get; set; } = 32 * 1024;

    /// <summary>Whether the node crawls by itself, at most once every <see cref="Every"/> (never more than once a day).</summary>
    public bool Background { get; set; } = true;

    public TimeSpan Every { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Throws when a value is out of range, naming the setting.</summary>
    public CrawlOptions Validated()
    {
        if (Depth is < 1 or > MaxDepth) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"{SectionName}:{nameof(Depth)} must be 1 to {MaxDepth}.");
        if (HostInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HostInterval), HostInterval, $"{SectionName}:{nameof(HostInterval)} must not be negative.");
        if (MaxFetchesPerRun < 1) throw new ArgumentOutOfRangeException(nameof(MaxFetchesPerRun), MaxFetchesPerRun, $"{SectionName}:{nameof(MaxFetchesPerRun)} must be at least 1.");
        if (MaxProfileBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxProfileBytes), MaxProfileBytes, $"{SectionName}:{nameof(MaxProfileBytes)} must be at least 1024.");
        if (Every < TimeSpan.FromDays(1)) throw new ArgumentOutOfRangeException(nameof(Every), Every, $"{SectionName}:{nameof(Every)} must be at least one day.");
        return this;
    }
}
