using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// Debian's Chromium at /usr/bin/chromium (or <c>COMMONS_CHROMIUM</c>) driven by Playwright (never a downloaded browser:
/// nothing can be downloaded where the tests run), and the screenshot check every browser test uses: the page has its
/// expected heading, and its picture is not blank.
/// </summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";
    public const string PathVariable = "COMMONS_CHROMIUM";

    public static string Path { get; } = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;

    /// <summary>Why the browser tests are skipped on this machine, or null when they run.</summary>
    public static string? SkipReason { get; } = SkipReasonFor(Path, Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// Skipped only where Chromium is missing outside CI: CI (<c>CI=true</c>, as most CI services set it) must run the
    /// browser tests, so there a missing Chromium fails them.
    /// </summary>
    public static string? SkipReasonFor(string chromiumPath, string? ci) =>
        File.Exists(chromiumPath) || string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"browser tests skipped: no Chromium at {chromiumPath}; enable them with 'apt-get install -y chromium' or {PathVariable}=/path/to/chromium (with CI=true a missing Chromium fails them)";

    public static string ScreenshotFolder { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "test-output", "screenshots");

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: apt-get install -y chromium (.ci/run does), or set {PathVariable}");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) on a node, in a language and at a window size.</summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, string baseUrl, string locale, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(LoadedMachineTimeout);
        context.SetDefaultNavigationTimeout(LoadedMachineTimeout);
        return context;
    }

    /// <summary>
    /// How long a page step may take before the test fails: these tests check what the pages do, not how fast, and under
    /// CI every test project runs at once on two cores, where a node's first page (compiled on first use) has taken over
    /// Playwright's 30 s default.
    /// </summary>
    public const float LoadedMachineTimeout = 90_000;

    /// <summary>Asserts the page's h1, screenshots the whole page into test-output/screenshots and checks it is not blank.</summary>
    public static async Task ShotAsync(IPage page, string name, string heading)
    {
        var problems = await CheckShotAsync(page, name, heading);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Screenshots the whole page into test-output/screenshots/<paramref name="name"/>.png and says what is wrong with
    /// it: an h1 other than <paramref name="heading"/>, or a picture that looks blank.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckShotAsync(IPage page, string name, string heading)
    {
        var problems = new List<string>();
        var h1 = page.Locator("h1");
        var shown = await h1.CountAsync() == 0 ? null : (await h1.First.InnerTextAsync()).Trim();
        if (shown != heading) problems.Add($"{name}: the heading is \"{shown}\", expected \"{heading}\"");
        Directory.CreateDirectory(ScreenshotFolder);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        var summary = Png.Read(png);
        if (summary.DistinctColours < 4) problems.Add($"{name}: only {summary.DistinctColours} colours, the page looks blank");
        if (summary.ShareNotBackground <= 0.01) problems.Add($"{name}: {summary.ShareNotBackground:P1} of the pixels differ from the background, the page looks blank");
        return problems;
    }

    /// <summary>Collects Content-Security-Policy violations the page reports (there must be none).</summary>
    public static List<string> WatchCsp(IPage page)
    {
        var blocked = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) lock (blocked) blocked.Add(m.Text); };
        return blocked;
    }
}
