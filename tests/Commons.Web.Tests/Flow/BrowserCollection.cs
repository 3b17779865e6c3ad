namespace Commons.Web.Tests.Flow;

/// <summary>
/// The tests that drive Chromium run one after another: each browser starts several processes, and on a small CI
/// machine (2 cores) a dozen at once starve the nodes under test until page loads time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Chromium";
}
