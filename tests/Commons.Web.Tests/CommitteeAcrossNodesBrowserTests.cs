using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Federation.Following;
using Commons.Modules.Committee.Kinds;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The steering committee across three real nodes, in a real browser, in French and Dutch: the coordinating node's
/// steward opens a proposal from its form; two member nodes' administrators vote from their own pages (one changes its
/// vote before closing); once the closing time has passed the steward closes it; a member node shows the result with
/// every ballot and its recount says "recount verified"; the steward names that member in charge with a due date passed
/// (overdue), and the member moves the follow-up on from its own node. The set-up (module on, committee and datasets on the
/// coordinator, the members following them) goes through the nodes' services.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CommitteeAcrossNodesBrowserTests
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    private sealed record Words(string Home, string New, string Title, string Decision, string Verified, string Yes, string YouVotedYes);

    private static Words In(string lang) => lang == "fr"
        ? new("Comité de pilotage", "Nouvelle proposition", "Adopter la charte du réseau", "Décision et recompte", "Recompte vérifié", "Oui", "Vous avez voté «\u00A0Oui\u00A0»")
        : new("Stuurcomité", "Nieuw voorstel", "Het handvest van het netwerk aannemen", "Besluit en hertelling", "Hertelling nagekeken", "Ja", "U hebt ‘Ja’ gestemd");

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task The_coordinator_opens_a_proposal_two_members_vote_and_a_member_sees_the_result_with_recount_verified(string lang, string locale)
    {
        var words = In(lang);
        await using var c = new PeerNode();
        await using var a = new PeerNode();
        await using var b = new PeerNode();
        OpenCommittee(c, a, b);
        await c.WarmAsync("comite", "propositions", "decisions");
        foreach (var member in new[] { a, b })
            foreach (var slug in new[] { "comite", "propositions", "decisions" })
                await FollowAsync(member, c, slug);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var pages = new List<IPage>();
        var csp = new List<string>();
        foreach (var node in new[] { c, a, b })
        {
            var context = await Chromium.NewContextAsync(browser, node.Url, locale, 1280, 900);
            var page = await context.NewPageAsync();
            csp.AddRange(Chromium.WatchCsp(page));
            await BrowserPageChecks.SignInAsAdminAsync(page);
            pages.Add(page);
        }
        var (onC, onA, onB) = (pages[0], pages[1], pages[2]);

        // The coordinator's steward opens a proposal: a bad quorum is refused on its field first.
        await onC.GotoAsync("/committee");
        await onC.Locator("#new-link").ClickAsync();
        await Chromium.ShotAsync(onC, $"committee-{lang}-new", words.New);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(onC, $"the new proposal form, in {lang}");
        await onC.SetViewportSizeAsync(1280, 900);
        var now = DateTimeOffset.UtcNow;
        var closes = now.AddSeconds(40);
        await onC.FillAsync(lang == "fr" ? "#title-fr" : "#title-nl", words.Title);
        await onC.FillAsync("#opens", Local(now.AddMinutes(-1)));
        await onC.FillAsync("#closes", Local(closes));
        await onC.FillAsync("#quorum", "150");
        await onC.Locator("#proposal-submit").ClickAsync();
        Assert.Equal(1, await onC.Locator("#error-quorum").CountAsync());
        await onC.FillAsync("#quorum", "50");
        await onC.Locator("#proposal-submit").ClickAsync();
        await onC.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/committee/ours/propositions/", StringComparison.Ordinal));
        Assert.Equal("open", await onC.Locator("#state").GetAttributeAsync("data-state"));
        var id = Uri.UnescapeDataString(new Uri(onC.Url).AbsolutePath.Split('/')[^1]);

        // Each member node's administrator finds it open, not voted yet, and votes; B first says no, then changes to yes.
        foreach (var (page, first) in new[] { (onA, "yes"), (onB, "no") })
        {
            var row = page.Locator($"#open-proposals tr[data-proposal='{id}']");
            await Eventually.ForAsync(async () =>
            {
                await page.GotoAsync("/committee");
                return await row.CountAsync();
            }, n => n == 1, "the proposal to reach the member node");
            Assert.Equal("none", await row.Locator("td.our-ballot").GetAttributeAsync("data-state"));
            await row.Locator("a").ClickAsync();
            await Chromium.ShotAsync(page, $"committee-{lang}-proposal", words.Title);
            await VoteAsync(page, first);
        }
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(onA, $"a member's proposal with its ballot, in {lang}");
        await onA.SetViewportSizeAsync(1280, 900);
        Assert.Contains(words.YouVotedYes, await onA.Locator("#our-ballot").InnerTextAsync());
        await VoteAsync(onB, "yes");

        // Once the closing time has passed, the steward closes it (unless the closing pass was quicker).
        await Eventually.ForAsync(() => Task.FromResult(DateTimeOffset.UtcNow), t => t > closes.AddSeconds(1), "the closing time to pass", 90);
        await onC.ReloadAsync();
        if (await onC.Locator("#close-submit").CountAsync() == 1)
        {
            await onC.Locator("#close-submit").ClickAsync();
            await onC.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/committee/decisions/", StringComparison.Ordinal));
        }

        // A member node shows the result with both ballots, B's counted once as changed, and recounts it.
        await Eventually.ForAsync(async () =>
        {
            await onA.GotoAsync($"/committee/decisions/{Uri.EscapeDataString(id)}");
            return await onA.Locator("#outcome").CountAsync();
        }, n => n == 1, "the decision to reach member A");
        Assert.Equal("adopted", await onA.Locator("#outcome").GetAttributeAsync("data-outcome"));
        Assert.Equal(2, await onA.Locator("#ballots tbody tr").CountAsync());
        Assert.Equal(2, await onA.Locator("#ballots tbody tr", new() { HasText = words.Yes }).CountAsync());
        await onA.Locator("#recount-run").ClickAsync();
        await onA.WaitForURLAsync(u => new Uri(u).Query.Contains("recount=1", StringComparison.Ordinal));
        Assert.True(await onA.Locator("#recount-verified").CountAsync() == 1, await onA.Locator("main").InnerTextAsync());
        Assert.Contains(words.Verified, await onA.Locator("#recount-verified").InnerTextAsync());
        await Chromium.ShotAsync(onA, $"committee-{lang}-decision", words.Decision);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(onA, $"a member's decision with its recount verified, in {lang}");

        // The coordinator's steward names A the organisation in charge, with a due date already passed: it shows overdue.
        await onC.GotoAsync($"/committee/decisions/{Uri.EscapeDataString(id)}");
        await onC.SelectOptionAsync("#owner", a.NodeActor);
        await onC.FillAsync("#due-date", TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await onC.FillAsync("#due-what", "Charte signée");
        await onC.Locator("#follow-up-submit").ClickAsync();
        await onC.WaitForURLAsync(u => new Uri(u).Query.Contains("saved=1", StringComparison.Ordinal));
        Assert.Equal(1, await onC.Locator("#due-dates li.committee-overdue").CountAsync());

        // A, in charge, moves it to "in progress" from its own node; the coordinator accepts it and writes the decision.
        await Eventually.ForAsync(async () =>
        {
            await onA.GotoAsync($"/committee/decisions/{Uri.EscapeDataString(id)}");
            return await onA.Locator("#owner-form-intro").CountAsync();
        }, n => n == 1, "A to see itself in charge of the decision");
        await onA.SelectOptionAsync("#status", "in_progress");
        await onA.Locator("#follow-up-submit").ClickAsync();
        await onA.WaitForURLAsync(u => new Uri(u).Query.Contains("sent=1", StringComparison.Ordinal));
        await Eventually.ForAsync(async () =>
        {
            await onA.ReloadAsync();
            return await onA.Locator("#follow-up-sent").GetAttributeAsync("data-state");
        }, s => s == "accepted", "A's follow-up update to be accepted");
        await onC.GotoAsync("/committee/decisions");
        var decided = onC.Locator($"#decisions tr[data-decision='{id}']");
        Assert.Equal("true", await decided.GetAttributeAsync("data-overdue"));
        Assert.Contains(lang == "fr" ? "en cours" : "bezig", await decided.InnerTextAsync());

        foreach (var page in new[] { onA, onC })
        {
            await page.GotoAsync("/committee/decisions");
            Assert.Equal(1, await page.Locator($"#decisions tr[data-decision='{id}']").CountAsync());
            await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, $"the decisions, in {lang}");
            await page.GotoAsync("/committee/members");
            Assert.Equal(3, await page.Locator("table.committee-members tbody tr").CountAsync());
            await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, $"the committee, in {lang}");
        }
        Assert.Empty(csp);
    }

    /// <summary>Sends the organisation's ballot from the open proposal page and waits for the coordinator's acceptance.</summary>
    private static async Task VoteAsync(IPage page, string option)
    {
        await page.Locator($"#option-{option}").CheckAsync();
        await page.FillAsync("#reason", $"Raison {option}");
        await page.Locator("#vote-submit").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).Query.Contains("sent=", StringComparison.Ordinal));
        var ballot = page.Locator("#our-ballot");
        await Eventually.ForAsync(async () =>
        {
            await page.ReloadAsync();
            return (await ballot.GetAttributeAsync("data-state"), await ballot.GetAttributeAsync("data-option"));
        }, s => s == ("accepted", option), $"the ballot {option} to be accepted", seconds: 120);
    }

    /// <summary>A datetime-local field's value as Chromium keeps it: it drops ":00" seconds, and Playwright's fill refuses a
    /// value the field does not keep as given ("Malformed value"), so a time on the whole minute is written without them.</summary>
    private static string Local(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Brussels);
        return local.ToString(local.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>The committee on C with members C, A and B (weight 1 each), its three datasets shared with A and B (named nodes).</summary>
    private static void OpenCommittee(PeerNode c, PeerNode a, PeerNode b)
    {
        foreach (var node in new[] { c, a, b }) node.Service<ModuleAdministration>().Set(UiNode.Admin, "committee", true);
        var datasets = c.Service<DatasetService>();
        foreach (var (slug, kind) in new[] { ("comite", CommitteeKind.KindName), ("propositions", ProposalsKind.KindName), ("decisions", DecisionsKind.KindName) })
            datasets.Create(UiNode.Admin, new DatasetDraft
            {
                Slug = slug, Title = new LocalizedText(slug, slug, slug), Kind = kind, Policy = SharingPolicy.Peers, AllowedPeers = [a.Address.Authority, b.Address.Authority],
            });
        var terms = JsonDocument.Parse($$"""
            {"name":{"fr":"Comité du réseau","nl":"Comité van het netwerk","en":"Network committee"},
             "members":[{"actor":"{{c.NodeActor}}"},{"actor":"{{a.NodeActor}}"},{"actor":"{{b.NodeActor}}"}],
             "proposals":"propositions","decisions":"decisions","governs":["credit.limits"]}
            """).RootElement.Clone();
        c.Service<RecordService>().Create(UiNode.Admin, "comite", "reseau", terms);
    }

    /// <summary><paramref name="follower"/> follows one of the coordinator's datasets, accepted at once since it names the follower's host.</summary>
    private static async Task FollowAsync(PeerNode follower, PeerNode owner, string slug)
    {
        var followed = await follower.Service<SubscriptionService>().FollowAsync(UiNode.Admin, owner.Handle(slug), CancellationToken.None);
        var subscriptions = follower.Service<ISubscriptionStore>();
        await Eventually.ForAsync(() => Task.FromResult(subscriptions.Find(followed.Id)), s => s?.State == SubscriptionState.Accepted,
            $"{follower.Address.Authority}'s follow of {owner.Address.Authority}'s {slug} to be accepted", seconds: 120);
    }
}
