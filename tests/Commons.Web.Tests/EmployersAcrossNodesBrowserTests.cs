using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Federation.Following;
using Commons.Modules.Employers.Pages;
using Commons.Modules.Employers.Resources;
using Commons.Modules.Employers.Statements;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.Extensions.Localization;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The employers' group across two real nodes, in a real browser, in French and Dutch. On the group's node G, a steward
/// adds a worker and places them with member B (a wrong share and a second assignment are refused beside the field,
/// in words); on B's own node, a member enters the worker's hours from B's pages and sees the group accept them; the
/// steward sees them accepted on G and closes the month; B's member reads its statement "verified against the group's
/// key" and downloads it, and the file checks. Only the set-up (module on, datasets, the group's members, B's follow of
/// the group) goes through the nodes' services. axe at 360 and 1280 px on every page of the flow; headings from the resx.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmployersAcrossNodesBrowserTests
{
    private const string Password = "member-password-for-employers-tests";
    private const string MemberName = "Vzw Beta";

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task B_enters_hours_on_its_node_G_closes_the_month_and_B_downloads_its_verified_statement(string lang, string locale)
    {
        await using var g = new PeerNode();
        await using var b = new PeerNode();
        var steward = OpenGroup(g, b);
        Switch(b);
        var subscription = await FollowGroupAsync(b, g);
        var member = Register(b);
        var t = new PageTexts(g.Service<IStringLocalizerFactory>(), CultureInfo.GetCultureInfo(lang));
        string Text(string key, params object[] args) => t.Get<EmployersText>(key, args);
        var month = g.Service<GroupDesk>().PreviousMonth();
        var monthName = EmployersSeed.MonthIn(month, t.Culture);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var onG = await Chromium.NewContextAsync(browser, g.Url, locale, 1280, 900);
        await using var onB = await Chromium.NewContextAsync(browser, b.Url, locale, 1280, 900);
        var gPage = await onG.NewPageAsync();
        var bPage = await onB.NewPageAsync();
        var csp = Chromium.WatchCsp(gPage);
        csp.AddRange(Chromium.WatchCsp(bPage));
        await SignInAsync(gPage, steward);
        await SignInAsync(bPage, member);
        var toClose = $"#module-news li[data-module='employers'] a[href='/employers/months/{month}']";
        Assert.Equal(1, await gPage.Locator(toClose).CountAsync());

        // G's steward adds a worker from the page: a cost with three decimals is explained beside its field first.
        await gPage.GotoAsync("/employers");
        await Chromium.ShotAsync(gPage, $"employers-{lang}-home", Text("EmployersTitle"));
        await gPage.Locator("#add-worker").ClickAsync();
        await gPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/employers/workers/new");
        await Chromium.ShotAsync(gPage, $"employers-{lang}-worker-new", Text("NewWorkerTitle"));
        await gPage.FillAsync("#name", "Anne Dupont");
        await gPage.FillAsync("#role", lang == "fr" ? "Comptable" : "Boekhouder");
        await gPage.FillAsync("#hours-per-week", "38");
        await gPage.FillAsync("#monthly-cost", "3250,405");
        await gPage.Locator("#worker-submit").ClickAsync();
        Assert.Equal(Text("MonthlyCostInvalid"), (await gPage.Locator("#error-MonthlyCost").InnerTextAsync()).Trim());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(gPage, $"the worker form with an error, in {lang}");
        await gPage.SetViewportSizeAsync(1280, 900);
        await gPage.FillAsync("#monthly-cost", "3250,40");
        await gPage.Locator("#worker-submit").ClickAsync();
        await gPage.WaitForURLAsync(u => new Uri(u).Query.Contains("saved=1", StringComparison.Ordinal));
        var worker = Assert.Single(g.Service<GroupDesk>().Read(UiNode.Admin)!.Workers);
        Assert.Equal(("Anne Dupont", 38m, 3250.40m), (worker.Name, worker.HoursPerWeek, worker.MonthlyCost));
        Assert.Contains("Anne Dupont", await gPage.Locator($"#worker-{worker.Id}").InnerTextAsync());

        // ... and places her with B: over 100 % is refused by the form, a second assignment by the rule, each beside its field.
        await gPage.GotoAsync("/employers/assignments");
        await Chromium.ShotAsync(gPage, $"employers-{lang}-assignments-empty", Text("AssignmentsTitle"));
        await AssignAsync(gPage, worker.Id, b.NodeActor, "150");
        Assert.Equal(Text("ShareInvalid"), (await gPage.Locator("#error-PlannedShare").InnerTextAsync()).Trim());
        await AssignAsync(gPage, worker.Id, b.NodeActor, "100");
        await gPage.WaitForURLAsync(u => new Uri(u).Query.Contains("assigned=1", StringComparison.Ordinal));
        Assert.Contains(MemberName, await gPage.Locator("#assignments tbody tr").InnerTextAsync());
        await AssignAsync(gPage, worker.Id, b.NodeActor, "10");
        var refused = gPage.Locator("#error-PlannedShare");
        Assert.Equal("assignment_exists", await refused.GetAttributeAsync("data-code"));
        Assert.Equal(Text("Rule_assignment_exists"), (await refused.InnerTextAsync()).Trim());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(gPage, $"the assignments with a refusal, in {lang}");
        await gPage.SetViewportSizeAsync(1280, 900);

        // B's member enters the month's hours on B's own pages: more than the contract allows is refused by the group's
        // node, in words on B's page and on B's dashboard; the right hours are accepted.
        await bPage.GotoAsync("/employers");
        await bPage.Locator($"#membership-{subscription}").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/employers/memberships/{subscription}");
        await Chromium.ShotAsync(bPage, $"employers-{lang}-membership", Text("MembershipTitle", EmployersSeed.Group));
        Assert.Equal(Text("EnterHoursTitle", monthName), (await bPage.Locator("#enter-heading").InnerTextAsync()).Trim());
        var over = await SendHoursAsync(bPage, subscription, month, worker.Id, "500", "refused");
        Assert.Equal("hours_over_contract", await over.GetAttributeAsync("data-code"));
        Assert.Contains(Text("Rule_hours_over_contract"), await over.InnerTextAsync());
        await bPage.GotoAsync("/");
        Assert.Equal(1, await bPage.Locator($"#module-news li[data-module='employers'] a[href^='/employers/memberships/{subscription}']").CountAsync());
        var accepted = await SendHoursAsync(bPage, subscription, month, worker.Id, "72,5", "accepted");
        Assert.Contains(Text("Sent_accepted"), await accepted.InnerTextAsync());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(bPage, $"B's membership with refused and accepted hours, in {lang}");
        await bPage.SetViewportSizeAsync(1280, 900);

        // G's steward sees them accepted in the month, and closes it.
        await gPage.GotoAsync($"/employers/months/{month}");
        await Chromium.ShotAsync(gPage, $"employers-{lang}-month-open", Text("MonthTitle", monthName));
        var line = gPage.Locator($"#hours tbody tr[data-member='{b.NodeActor}']");
        Assert.Equal("accepted", await line.Locator(".hours-state").GetAttributeAsync("data-state"));
        Assert.Contains(Text("State_accepted"), await line.InnerTextAsync());
        Assert.Contains(72.5m.ToString("0.##", t.Culture), await line.InnerTextAsync());
        await gPage.Locator("#close-link").ClickAsync();
        await gPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/employers/months/{month}/close");
        await Chromium.ShotAsync(gPage, $"employers-{lang}-close", Text("CloseTitle", monthName));
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(gPage, $"closing the month, in {lang}");
        await gPage.SetViewportSizeAsync(1280, 900);
        await gPage.Locator("#close-submit").ClickAsync();
        await gPage.WaitForURLAsync(u => new Uri(u).Query.Contains("closed=1", StringComparison.Ordinal));
        Assert.Equal(1, await gPage.Locator("#month-done").CountAsync());
        Assert.Equal(Text("Basis_hours"), (await gPage.Locator($"#split tbody tr[data-member='{b.NodeActor}'] td").Nth(2).InnerTextAsync()).Trim());
        Assert.Equal(1, await gPage.Locator($"#statements a[data-member='{b.NodeActor}']").CountAsync());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(gPage, $"the closed month with its statements, in {lang}");
        await gPage.SetViewportSizeAsync(1280, 900);

        await gPage.GotoAsync("/");
        Assert.Equal(0, await gPage.Locator(toClose).CountAsync());

        // B's member reads its statement, verified against the group's key, and downloads it.
        await bPage.GotoAsync($"/employers/memberships/{subscription}?month={month}");
        await bPage.Locator($"#statement-{month}").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/employers/memberships/{subscription}/statements/{month}");
        await Chromium.ShotAsync(bPage, $"employers-{lang}-statement", Text("StatementOfMonth", monthName));
        var check = bPage.Locator("#statement-check");
        Assert.Equal("true", await check.GetAttributeAsync("data-verified"));
        Assert.Contains(Text("StatementVerified", g.Address.Authority), await check.InnerTextAsync());
        Assert.Contains(3250.40m.ToString("N2", t.Culture), await bPage.Locator("#statement-total").InnerTextAsync());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(bPage, $"B's verified statement, in {lang}");
        await bPage.SetViewportSizeAsync(1280, 900);
        var download = await bPage.RunAndWaitForDownloadAsync(() => bPage.Locator("#statement-download").ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"statement-{Guid.NewGuid():N}.xml");
        await download.SaveAsAsync(file);
        try
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.True(StatementSignature.Verify(xml).Valid);
            Assert.Contains(b.NodeActor, xml, StringComparison.Ordinal);
            Assert.Equal(3250.40m, StatementXml.TotalOf(xml));
        }
        finally { File.Delete(file); }
        Assert.Empty(csp);
    }

    /// <summary>G's group: the module on, its four datasets shared with B alone, B its one member; returns G's steward.</summary>
    private static string OpenGroup(PeerNode g, PeerNode b)
    {
        Switch(g);
        var datasets = g.Service<DatasetService>();
        var steward = Register(g);
        string Dataset(string slug, string kind)
        {
            datasets.Create(UiNode.Admin, new DatasetDraft
            {
                Slug = slug, Title = new LocalizedText(slug, slug, slug), Kind = kind, Policy = SharingPolicy.Peers, AllowedPeers = [b.Address.Authority],
            });
            datasets.SetGrant(UiNode.Admin, slug, steward, GrantRole.Steward);
            return slug;
        }
        var group = Dataset("groupement", "employers.group");
        Dataset("travailleurs", "employers.workers");
        Dataset("mises", "employers.assignments");
        Dataset("heures", "employers.hours");
        g.Service<RecordService>().Create(UiNode.Admin, group, "settings", JsonDocument.Parse($$"""
            {"name":"{{EmployersSeed.Group}}","recognition":"GE-BXL-2026-017","allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{b.NodeActor}}","name":"{{MemberName}}"}]}
            """).RootElement.Clone());
        return steward;
    }

    private static void Switch(PeerNode node) => node.Service<ModuleAdministration>().Set(UiNode.Admin, "employers", true);

    private static string Register(PeerNode node)
    {
        var username = $"m{Guid.NewGuid():N}"[..12];
        node.Service<MemberService>().Register(username, null, Password, MemberRole.Member);
        return username;
    }

    /// <summary>B follows G's group dataset (G admits B by its policy); returns B's subscription.</summary>
    private static async Task<string> FollowGroupAsync(PeerNode b, PeerNode g)
    {
        var followed = await b.Service<SubscriptionService>().FollowAsync(UiNode.Admin, g.Handle("groupement"), CancellationToken.None);
        await Eventually.ForAsync(() => Task.FromResult(b.Service<ISubscriptionStore>().Find(followed.Id)),
            s => s?.State == SubscriptionState.Accepted && s.Kind == "employers.group", "B's follow of the group to be accepted");
        return followed.Id;
    }

    /// <summary>Enters one worker's hours on B's membership page and waits for the group's answer; returns its row.</summary>
    private static async Task<ILocator> SendHoursAsync(IPage page, string subscription, string month, string worker, string hours, string state)
    {
        await page.GotoAsync($"/employers/memberships/{subscription}?month={month}");
        var before = await page.Locator("#sent-hours tbody tr").CountAsync();
        await page.FillAsync($"#hours-{worker}", hours);
        await page.Locator("#hours-submit").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).Query.Contains("sent=1", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("#hours-done").CountAsync());
        var newest = page.Locator("#sent-hours tbody tr").First;
        await Eventually.ForAsync(async () =>
        {
            await page.GotoAsync($"/employers/memberships/{subscription}?month={month}");
            return await page.Locator("#sent-hours tbody tr").CountAsync() == before + 1 ? await newest.GetAttributeAsync("data-state") : null;
        }, shown => shown == state, $"the group's node to answer {hours} hours with {state}");
        return newest;
    }

    private static async Task AssignAsync(IPage page, string worker, string member, string share)
    {
        await page.SelectOptionAsync("#worker", worker);
        await page.SelectOptionAsync("#member", member);
        await page.FillAsync("#planned-share", share);
        await page.Locator("#assign-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }
}
