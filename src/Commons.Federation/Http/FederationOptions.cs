namespace Commons.Federation.Http;

/// <summary>Whom the node federates with.</summary>
public enum FederationMode
{
    /// <summary>Every domain except the blocked ones.</summary>
    Open,

    /// <summary>Only the allowed domains (and their subdomains), minus the blocked ones.</summary>
    AllowList,
}

/// <summary>Settings of outgoing federation traffic, bound from the configuration section <c>Federation</c>.</summary>
public sealed class FederationOptions
{
    public const string SectionName = "Federation";

    /// <summary>
    /// Lets outgoing requests reach loopback, private, link-local and other non-public addresses, and lets
    /// WebFinger use plain http. Only for tests and the local quickstart.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Largest response body read into memory (after decompression).</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Time allowed for one HTTP exchange (connect, send, read the whole body).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string UserAgent { get; set; } = "CommonsNode/1.0";

    public FederationMode Mode { get; set; } = FederationMode.Open;

    /// <summary>Domains federated with in <see cref="FederationMode.AllowList"/> mode; subdomains included.</summary>
    public IList<string> AllowedDomains { get; set; } = new List<string>();

    /// <summary>Domains never contacted; subdomains included. Wins over <see cref="AllowedDomains"/>.</summary>
    public IList<string> BlockedDomains { get; set; } = new List<string>();

    /// <summary>
    /// When this node unfollows a remote dataset, keep the replica (under the ended subscription) instead of deleting it.
    /// Default: delete. A revocation by the owner always deletes it.
    /// </summary>
    public bool KeepReplicaOnUnfollow { get; set; }

    /// <summary>Requests in flight to one host at a time.</summary>
    public int MaxConcurrentRequestsPerHost { get; set; } = 4;

    /// <summary>
    /// How long the background workers sleep when nothing woke them. Writes, received activities and new subscriptions
    /// wake them at once; the poll is the safety net for a lost wake-up and for retries that fall due.
    /// </summary>
    public TimeSpan WorkerPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws when a value is out of range, naming the setting.</summary>
    public void Validate()
    {
        if (MaxResponseBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, $"{SectionName}:{nameof(MaxResponseBytes)} must be positive.");
        }
        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, $"{SectionName}:{nameof(RequestTimeout)} must be positive.");
        }
        if (WorkerPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerPollInterval), WorkerPollInterval, $"{SectionName}:{nameof(WorkerPollInterval)} must be positive.");
        }
        if (MaxConcurrentRequestsPerHost < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequestsPerHost), MaxConcurrentRequestsPerHost, $"{SectionName}:{nameof(MaxConcurrentRequestsPerHost)} must be at least 1.");
        }
        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            throw new ArgumentException($"{SectionName}:{nameof(UserAgent)} must not be empty.", nameof(UserAgent));
        }
    }
}
