using Commons.Core.Records;

namespace Commons.Node.Hosting;

/// <summary>The <c>Commons</c> configuration section (appsettings.json, environment <c>COMMONS__…</c>, command line).</summary>
public sealed class NodeOptions
{
    public const string Section = "Commons";

    /// <summary>Folder of the node's LiteDB file, lock and admin socket. Relative paths start at the working directory (not at the application's folder, the content root).</summary>
    public string DataDirectory { get; set; } = "data";
    /// <summary>
    /// The URL peers reach this node at (its ActivityPub ids start with it), e.g. <c>https://commons.example.org</c>.
    /// Empty: the first address the node listens on.
    /// </summary>
    public string? PublicUrl { get; set; }
    /// <summary>The node's name, used on first start only (it is stored then).</summary>
    public string NodeName { get; set; } = "Commons Node";
    /// <summary>Listen on <c>{DataDirectory}/run/admin.sock</c> so the CLI can administer a running node.</summary>
    public bool AdminSocket { get; set; } = true;
    /// <summary>
    /// The first administrator's password, for automated set-ups and tests; used on first start only. When empty
    /// (the default) the node prints a one-time link to its setup page, where the first administrator is created.
    /// </summary>
    public string? InitialAdminPassword { get; set; }
    public RecordLimits Limits { get; set; } = new();
    public SecurityOptions Security { get; set; } = new();
    /// <summary>Largest request body in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

public sealed class SecurityOptions
{
    public int PasswordIterations { get; set; } = Core.Members.PasswordHasher.DefaultIterations;
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 30;
    /// <summary>Failed logins for one username or one address before it is throttled.</summary>
    public int LoginFailuresBeforeThrottle { get; set; } = 5;
}
