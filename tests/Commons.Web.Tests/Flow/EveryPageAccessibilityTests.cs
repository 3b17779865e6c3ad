using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Commons.Web.Tests.Flow;

/// <summary>A node with something on every page (<see cref="AuditSite"/>), and a fresh node still waiting for its setup.</summary>
public sealed class AuditFixture : IAsyncLifetime
{
    public UiNode Node { get; } = new();
    public SetupNode Fresh { get; } = new();
    public AuditSite Site { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Site = new AuditSite(Node);
        _ = Fresh.Address;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Fresh.DisposeAsync();
    }
}

/// <summary>
/// Every page of the interface (<see cref="AuditSite"/>: the node's pages, the Place module's, sign-in, invitation,
/// setup on a fresh node, not found) opened in Chromium at 360×740 and 1280×800, one language per test: axe-core
/// finds nothing, the house checks (<see cref="PageAudit"/>) find nothing, the heading is the page's title from the
/// node's resources in that language, Tab reaches a control with a visible focus, and no CSP violation. In French and
/// Dutch each page is kept as a screenshot (test-output/screenshots/page-lang-width.png), checked not blank. Every
/// problem of every page is reported at once, each with its page, language and width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EveryPageAccessibilityTests(AuditFixture fixture, ITestOutputHelper output) : IClassFixture<AuditFixture>
{
    public static readonly (int Width, int Height)[] Windows = [(360, 740), (1280, 800)];

    [ChromiumTheory]
    [InlineData("en-GB")]
    [InlineData("fr-BE")]
    [InlineData("nl-BE")]
    public async Task Every_page_passes_axe_and_the_house_checks_at_360_and_1280_px(string locale)
    {
        var language = locale[..2];
        var texts = new PageTexts(fixture.Node.Service<IStringLocalizerFactory>(), CultureInfo.GetCultureInfo(language));
        var screenshots = language != "en";
        var problems = new List<string>();
        var axeTimes = new List<TimeSpan>();
        var total = Stopwatch.StartNew();
        var site = fixture.Site;
        var setup = new AuditedPage(fixture.Fresh.Address + "setup", "setup", t => t.Get<Commons.Node.Web.Resources.MembersText>("SetupTitle"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        foreach (var (width, height) in Windows)
        {
            await using var context = await Chromium.NewContextAsync(browser, fixture.Node.Address.ToString().TrimEnd('/'), locale, width, height);
            var page = await context.NewPageAsync();
            var csp = Chromium.WatchCsp(page);

            async Task VisitAsync(AuditedPage audited)
            {
                var where = $"{audited.Name} {audited.Path} [{language} {width}px]";
                var response = await page.GotoAsync(audited.Path);
                if (response?.Status != audited.Status) problems.Add($"{where}: HTTP {response?.Status}, expected {audited.Status}");
                var lang = await page.EvaluateAsync<string>("document.documentElement.lang");
                if (lang != language) problems.Add($"{where}: lang=\"{lang}\"");
                var (found, axeTime) = await PageAudit.RunAsync(page);
                axeTimes.Add(axeTime);
                problems.AddRange(found.Select(p => $"{where}: {p}"));
                var heading = audited.Heading(texts);
                if (screenshots) problems.AddRange((await Chromium.CheckShotAsync(page, $"{audited.Name}-{language}-{width}", heading)).Select(p => $"{where}: {p}"));
                else if ((await page.Locator("h1").AllInnerTextsAsync()).FirstOrDefault()?.Trim() is var h1 && h1 != heading)
                    problems.Add($"{where}: the heading is \"{h1}\", expected \"{heading}\"");

                // Keyboard: after the skip link, Tab reaches a control whose focus is visible.
                await page.Keyboard.PressAsync("Tab");
                await page.Keyboard.PressAsync("Tab");
                if (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle") == "none")
                    problems.Add($"{where}: no visible focus on {await page.EvaluateAsync<string>("document.activeElement.outerHTML.slice(0, 80)")}");
            }

            foreach (var audited in site.SignedOut) await VisitAsync(audited);
            await VisitAsync(setup);
            await SignInAsync(page);
            foreach (var audited in site.SignedIn) await VisitAsync(audited);
            problems.AddRange(csp.Select(c => $"[{language} {width}px] CSP: {c}"));
        }
        total.Stop();

        var visits = axeTimes.Count;
        var timing = $"{language}: {visits} page visits ({visits / Windows.Length} pages × {Windows.Length} widths) in {total.Elapsed.TotalSeconds:F1} s, "
            + $"{total.Elapsed.TotalMilliseconds / visits:F0} ms a visit; axe {axeTimes.Average(t => t.TotalMilliseconds):F0} ms a page (median {Median(axeTimes):F0}, max {axeTimes.Max(t => t.TotalMilliseconds):F0})";
        output.WriteLine(timing);
        Directory.CreateDirectory(Path.GetDirectoryName(Chromium.ScreenshotFolder)!);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(Chromium.ScreenshotFolder)!, $"audit-{language}.txt"),
            timing + Environment.NewLine + string.Join(Environment.NewLine, problems) + Environment.NewLine);
        Assert.True(problems.Count == 0, $"{problems.Count} problems{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
    }

    private static double Median(List<TimeSpan> times)
    {
        var sorted = times.Select(t => t.TotalMilliseconds).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
