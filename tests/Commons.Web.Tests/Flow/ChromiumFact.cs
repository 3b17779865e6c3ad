using Xunit.Sdk;

namespace Commons.Web.Tests.Flow;

/// <summary>A test that drives Chromium: skipped, with the way to enable it, where Chromium is missing outside CI.</summary>
[XunitTestCaseDiscoverer("Commons.Web.Tests.Flow.BrowserFactDiscoverer", "Commons.Web.Tests")]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = Chromium.SkipReason;
}

/// <summary>A theory that drives Chromium: skipped, with the way to enable it, where Chromium is missing outside CI.</summary>
[XunitTestCaseDiscoverer("Commons.Web.Tests.Flow.BrowserTheoryDiscoverer", "Commons.Web.Tests")]
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute() => Skip = Chromium.SkipReason;
}

/// <summary>
/// The one test that says why the browser tests are skipped: where they are, its name is the reason, so the test run's
/// output shows how to enable them at any verbosity.
/// </summary>
public sealed class ChromiumNoticeAttribute : FactAttribute
{
    public ChromiumNoticeAttribute()
    {
        if (Chromium.SkipReason is not { } reason) return;
        Skip = reason;
        DisplayName = reason;
    }
}
