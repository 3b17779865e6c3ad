using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;
using static Commons.Web.Tests.BrowserPageChecks;

namespace Commons.Web.Tests;

/// <summary>
/// The pages of requests and sharing in plain words: what a member reads names the other node by its address and the
/// request by its fields; actor URLs, codes and the JSON as sent are behind "Technical details" (a keyboard-reachable,
/// named scroller for the JSON). No axe violation in French and Dutch at 360 and 1280 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlainWordsBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumTheory]
    [InlineData("fr-BE", "Détails techniques")]
    [InlineData("nl-BE", "Technische details")]
    public async Task Requests_and_sharing_speak_plainly_and_keep_the_machinery_behind_a_disclosure(string locale, string technical)
    {
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Salles");
        var incoming = _node.AddIncomingRequest(slug);
        var refused = _node.AddOutgoingRequest("admin", ExchangeState.Refused, "request_unsupported");
        var follower = _node.AddFollower(slug, "asking.example", FollowerState.Pending);
        _node.AddFollower(slug, "friends.example", FollowerState.Accepted);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, 1280, 900);
        var page = await context.NewPageAsync();
        var csp = Chromium.WatchCsp(page);
        await SignInAsAdminAsync(page);

        foreach (var path in new[]
        {
            $"/exchanges/{incoming.Ref}", $"/exchanges/{refused.Ref}", "/exchanges",
            $"/datasets/{slug}/sharing", $"/datasets/{slug}/sharing/remove?actor={Uri.EscapeDataString(follower.ActorUri)}",
        })
        {
            await page.GotoAsync(path);
            // What a member reads without opening anything: no actor URL, no JSON.
            var readable = await page.EvaluateAsync<string>(
                "() => { const m = document.querySelector('main').cloneNode(true); m.querySelectorAll('details').forEach(d => d.remove()); return m.innerText; }");
            Assert.DoesNotContain("http://", readable);
            Assert.DoesNotContain("https://", readable);
            Assert.DoesNotContain("{", readable);
            await NoViolationsAtBothWidthsAsync(page, path);
        }

        // A request: its fields in plain text; the JSON, codes and addresses inside the disclosure, whose scroller Tab reaches.
        await page.GotoAsync($"/exchanges/{incoming.Ref}");
        await Assertions.Expect(page.Locator("#exchange-peer")).ToHaveTextAsync("peer.example");
        await Assertions.Expect(page.Locator("#exchange-body dd").First).ToHaveTextAsync("hall");
        var details = page.Locator("#exchange-technical");
        await Assertions.Expect(details.Locator("summary")).ToHaveTextAsync(technical);
        await Assertions.Expect(page.Locator("#exchange-body-json")).Not.ToBeVisibleAsync();
        await details.Locator("summary").ClickAsync();
        await Assertions.Expect(page.Locator("#exchange-body-json")).ToBeVisibleAsync();
        Assert.Equal("0", await page.Locator("#exchange-body-json").GetAttributeAsync("tabindex"));
        Assert.False(string.IsNullOrEmpty(await page.Locator("#exchange-body-json").GetAttributeAsync("aria-label")));
        Assert.Contains("http://peer.example/actor", await details.InnerTextAsync());
        await NoViolationsAtBothWidthsAsync(page, "an opened request's technical details");

        await page.GotoAsync($"/exchanges/{refused.Ref}");
        Assert.DoesNotContain("request_unsupported", await page.Locator("#exchange-code").InnerTextAsync());
        Assert.Contains("request_unsupported", await page.Locator("#exchange-technical").InnerHTMLAsync());

        await page.GotoAsync($"/datasets/{slug}/sharing");
        await Assertions.Expect(page.Locator($"#pending-requests tr[data-actor=\"{follower.ActorUri}\"] td.peer")).ToHaveTextAsync("asking.example");
        Assert.Contains(follower.ActorUri, await page.Locator("#sharing-technical").InnerHTMLAsync());

        Assert.Empty(csp);
    }
}
