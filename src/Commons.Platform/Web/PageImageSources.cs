namespace Commons.Platform.Web;

/// <summary>
/// Origins a module's pages show images from besides the node itself (a tile server an administrator configured for
/// the map). A module registers one in <see cref="ICommonsModule.AddServices"/>; the host adds the origins to the
/// <c>img-src</c> of its pages' Content-Security-Policy while the module is on, and nothing else: scripts, styles and
/// frames stay the node's own.
/// </summary>
public interface IPageImageSources
{
    /// <summary>The module's <see cref="ICommonsModule.Name"/>: its origins count only while it is on.</summary>
    string Module { get; }

    /// <summary>Each an origin (<c>https://tile.example</c>, <c>http://127.0.0.1:5090</c>); empty when none. Asked for every page, so cheap.</summary>
    IReadOnlyList<string> Origins { get; }
}

/// <summary>Builds the <c>img-src</c> sources the host admits: the node's own, then each well-formed http(s) origin once.</summary>
public static class PageImageOrigins
{
    /// <summary>
    /// The origin of <paramref name="value"/> (<c>scheme://host[:port]</c>), or null when it is no absolute http(s)
    /// address without user information: nothing a module says can add another directive or source keyword.
    /// </summary>
    public static string? Origin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length == 0 && uri.Host.Length > 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
