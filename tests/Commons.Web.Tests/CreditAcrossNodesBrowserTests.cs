using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// Mutual credit across two real nodes, in a real browser, in French and Dutch: a member of A pays B from A's pay form
/// (filled from the link another page gives); B's member sees it completed with both proofs checked; B's member bills A
/// and A's member accepts it on A's page; both balances say so and the group audit on A passes. Each node's administrator
/// joins the group from the groups page (terms shown, then confirmed), which creates, shares and follows the ledgers; the
/// rest of the set-up (module on, the group defined on A, the members' grants) goes through the nodes' services.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CreditAcrossNodesBrowserTests
{
    private const string Password = "member-password-for-credit-tests";
    private const string Ledger = "compte";

    private sealed record Words(string Credit, string Pay, string Bill, string Bills, string History, string Audit, string Completed, string PayerProof, string PayeeProof, string Groups);

    private static Words In(string lang) => lang == "fr"
        ? new("Crédit mutuel", "Payer une autre organisation", "Envoyer une facture", "Factures à accepter", "Transactions", "Vérification du groupe", "Terminée",
            "Preuve du payeur\u00A0: vérifiée", "Preuve du bénéficiaire\u00A0: vérifiée", "Groupes d’échange")
        : new("Onderling krediet", "Een andere organisatie betalen", "Een factuur sturen", "Te aanvaarden facturen", "Transacties", "Controle van de groep", "Voltooid",
            "Bewijs van de betaler: nagekeken", "Bewijs van de begunstigde: nagekeken", "Ruilgroepen");

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task A_pays_B_B_sees_it_completed_with_both_proofs_then_B_bills_A_and_A_accepts(string lang, string locale)
    {
        var words = In(lang);
        await using var a = new PeerNode();
        await using var b = new PeerNode();
        DefineGroup(a, b);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var contextA = await Chromium.NewContextAsync(browser, a.Url, locale, 1280, 900);
        await using var contextB = await Chromium.NewContextAsync(browser, b.Url, locale, 1280, 900);
        var aPage = await contextA.NewPageAsync();
        var bPage = await contextB.NewPageAsync();
        var csp = Chromium.WatchCsp(aPage);
        csp.AddRange(Chromium.WatchCsp(bPage));
        // Two in-process nodes and a browser on a loaded machine: a page may take longer than Playwright's 30 s.
        foreach (var page in new[] { aPage, bPage }) page.SetDefaultTimeout(120_000);

        // Each node's administrator joins the group from the page: the terms first, then the confirmation. Nothing
        // else by hand: the join creates the ledger, shares it with the other member and follows the other's.
        await SignInAsync(aPage, "admin", UiNode.AdminPassword);
        await SignInAsync(bPage, "admin", UiNode.AdminPassword);
        await JoinFromThePageAsync(aPage, a.Handle("groupes"), words, lang, shots: false);
        await JoinFromThePageAsync(bPage, a.Handle("groupes"), words, lang, shots: true);
        // A joined before B's ledger existed: A's administrator brings the follows up to date at once, as each minute's pass would.
        await aPage.Locator("#refresh-submit").ClickAsync();
        await aPage.WaitForURLAsync(u => new Uri(u).Query.Contains("refreshed=1", StringComparison.Ordinal));
        foreach (var (page, what) in new[] { (aPage, "A's follow of B's ledger"), (bPage, "B's follow of A's ledger") })
            await Eventually.ForAsync(async () =>
            {
                await page.GotoAsync("/credit/groups");
                return await page.Locator(".followed-ledgers li").GetAttributeAsync("data-state");
            }, state => state == "accepted", $"{what} to be accepted");
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(bPage, $"B's exchange groups, in {lang}");
        await bPage.SetViewportSizeAsync(1280, 900);

        var onA = Register(a);
        var onB = Register(b);
        await contextA.ClearCookiesAsync();
        await contextB.ClearCookiesAsync();
        await SignInAsync(aPage, onA);
        await SignInAsync(bPage, onB);

        // A's member opens the pay form as another page links to it: payee, amount and memo filled in.
        await aPage.GotoAsync($"/credit/pay?payee={Uri.EscapeDataString(b.NodeActor)}&amount=12.50&memo={Uri.EscapeDataString("Salle & café")}");
        await Chromium.ShotAsync(aPage, $"credit-{lang}-pay", words.Pay);
        Assert.Equal(b.NodeActor, await aPage.Locator("#other").InputValueAsync());
        Assert.Equal("12.50", await aPage.Locator("#amount").InputValueAsync());
        Assert.Equal("Salle & café", await aPage.Locator("#memo").InputValueAsync());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(aPage, $"A's pay form, in {lang}");
        await aPage.SetViewportSizeAsync(1280, 900);

        // A bad amount is refused on the field, in the reader's language, with nothing sent.
        await aPage.FillAsync("#amount", "1,001");
        await aPage.Locator("#transfer-submit").ClickAsync();
        Assert.Equal("amount_precision", await aPage.Locator("#error-amount").GetAttributeAsync("data-code"));
        await aPage.FillAsync("#amount", "12,50");
        await aPage.Locator("#transfer-submit").ClickAsync();
        await aPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/credit/history");
        Assert.Equal(1, await aPage.Locator("#transfer-done").CountAsync());
        var paid = await aPage.Locator("#history tbody tr").First.GetAttributeAsync("id");
        Assert.NotNull(paid);
        await StateAsync(aPage, paid!, TransactionStates.Completed, "A's payment to complete on A");

        // B's member sees it completed, with the payer's and the payee's proofs both checked.
        var row = await StateAsync(bPage, paid!, TransactionStates.Completed, "A's payment to show completed on B");
        Assert.Contains(words.Completed, await row.InnerTextAsync());
        Assert.Contains(words.PayerProof, await row.InnerTextAsync());
        Assert.Contains(words.PayeeProof, await row.InnerTextAsync());
        var proofs = row.Locator("td.signatures");
        Assert.Equal(("verified", "verified"), (await proofs.GetAttributeAsync("data-payer"), await proofs.GetAttributeAsync("data-payee")));
        Assert.Contains("12,50", await row.InnerTextAsync());
        await Chromium.ShotAsync(bPage, $"credit-{lang}-history-b", words.History);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(bPage, $"B's history with A's payment, in {lang}");
        await bPage.SetViewportSizeAsync(1280, 900);

        // B's member bills A; A's member finds it waiting and accepts it.
        await bPage.GotoAsync($"/credit/bill?payer={Uri.EscapeDataString(a.NodeActor)}");
        await Chromium.ShotAsync(bPage, $"credit-{lang}-bill", words.Bill);
        await bPage.FillAsync("#amount", "4");
        await bPage.FillAsync("#memo", "Soupe");
        await bPage.Locator("#transfer-submit").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/credit/history");
        var billed = await bPage.Locator("#history tbody tr").First.GetAttributeAsync("id");
        Assert.Equal(TransactionStates.Pending, await bPage.Locator($"#{billed}").GetAttributeAsync("data-state"));

        await Eventually.ForAsync(async () =>
        {
            await aPage.GotoAsync("/credit/bills");
            return await aPage.Locator("#bills tbody tr").CountAsync();
        }, n => n == 1, "B's bill to wait on A's page");
        var waiting = aPage.Locator("#bills tbody tr");
        Assert.Contains(b.Address.Authority, await waiting.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Soupe", await waiting.InnerTextAsync(), StringComparison.Ordinal);
        await Chromium.ShotAsync(aPage, $"credit-{lang}-bills", words.Bills);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(aPage, $"A's bills with one waiting, in {lang}");
        await aPage.SetViewportSizeAsync(1280, 900);
        await waiting.Locator("button[id^='accept-']").ClickAsync();
        await aPage.WaitForURLAsync(u => new Uri(u).Query.Contains("accepted=", StringComparison.Ordinal));
        Assert.Equal(1, await aPage.Locator("#bill-done").CountAsync());
        Assert.Equal(1, await aPage.Locator("#no-bills").CountAsync());

        // B sees the bill paid; both balances say so, in the unit with its two decimals.
        await StateAsync(bPage, billed!, TransactionStates.Completed, "B's bill to show completed on B");
        await aPage.GotoAsync("/credit");
        await Chromium.ShotAsync(aPage, $"credit-{lang}-balance-a", words.Credit);
        Assert.Equal("-16.50", await aPage.Locator("#balance-value").GetAttributeAsync("data-amount"));
        Assert.Contains("16,50", await aPage.Locator("#balance-value").InnerTextAsync());
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(aPage, $"A's balance, in {lang}");
        await bPage.GotoAsync("/credit");
        Assert.Equal("16.50", await bPage.Locator("#balance-value").GetAttributeAsync("data-amount"));

        // The group audit on A: every transaction on both sides with both proofs, the balances summing to zero.
        await aPage.GotoAsync("/credit/audit");
        await aPage.Locator("#audit-run").ClickAsync();
        await aPage.WaitForURLAsync(u => new Uri(u).Query.Contains("run=1", StringComparison.Ordinal));
        Assert.True(await aPage.Locator("#audit-passed").CountAsync() == 1, await aPage.Locator("main").InnerTextAsync());
        await Chromium.ShotAsync(aPage, $"credit-{lang}-audit", words.Audit);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(aPage, $"A's group audit passed, in {lang}");

        // B's month statement: the opening balance, both transactions, the balance after each.
        var csv = await (await contextB.APIRequest.GetAsync("/credit/statement.csv")).TextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,time,transaction,other_member,memo,amount,unit,balance", lines[0]);
        Assert.EndsWith(",opening,,,,ŧ,0.00", lines[1], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.Contains($"{paid!["tx-".Length..]},{a.NodeActor},Salle & café,12.50,ŧ,12.50", lines[2], StringComparison.Ordinal);
        Assert.EndsWith($",{a.NodeActor},Soupe,4.00,ŧ,16.50", lines[3], StringComparison.Ordinal);
        Assert.Empty(csp);
    }

    /// <summary>Credit on on both nodes; group "sel" (unit ŧ, 2 decimals, −100…100) defined on A, listing A and B with their ledger "compte".</summary>
    private static void DefineGroup(PeerNode a, PeerNode b)
    {
        var terms = JsonDocument.Parse($$"""
            {"unit":{"name":{"fr":"Zinne","nl":"Zinne","en":"Zinne"},"symbol":"ŧ","precision":2},
             "members":[{"actor":"{{a.NodeActor}}","ledger":"{{a.Url}}/datasets/{{Ledger}}"},{"actor":"{{b.NodeActor}}","ledger":"{{b.Url}}/datasets/{{Ledger}}"}],
             "lowest":"-100","highest":"100","transferTimeoutMinutes":120,"euroValue":"1"}
            """).RootElement.Clone();
        foreach (var node in new[] { a, b }) node.Service<ModuleAdministration>().Set(UiNode.Admin, "credit", true);
        a.Service<DatasetService>().Create(UiNode.Admin, new DatasetDraft { Slug = "groupes", Title = new LocalizedText("Groupes", "Groepen", "Groups"), Kind = GroupKind.KindName });
        a.Service<RecordService>().Create(UiNode.Admin, "groupes", "sel", terms);
    }

    /// <summary>
    /// The administrator joins the group at <paramref name="address"/> from /credit/groups: a wrong address is refused on
    /// the field first, then the terms are shown (checked, with axe) and confirmed.
    /// </summary>
    private static async Task JoinFromThePageAsync(IPage page, string address, Words words, string lang, bool shots)
    {
        await page.GotoAsync("/credit/groups");
        Assert.Equal(words.Groups, await page.Locator("h1").InnerTextAsync());
        await page.FillAsync("#address", "nothing here");
        await page.Locator("#offer-submit").ClickAsync();
        Assert.Equal("validation_failed", await page.Locator("#error-address").GetAttributeAsync("data-code"));
        await page.FillAsync("#address", address);
        await page.Locator("#offer-submit").ClickAsync();
        Assert.Contains("ŧ", await page.Locator("#offer-unit").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("100,00", await page.Locator("#offer-limits").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("120", await page.Locator("#offer-timeout").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("1,00", await page.Locator("#offer-euro").InnerTextAsync(), StringComparison.Ordinal);
        if (shots)
        {
            await Chromium.ShotAsync(page, $"credit-{lang}-join-terms", words.Groups);
            await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, $"the group's terms before joining, in {lang}");
            await page.SetViewportSizeAsync(1280, 900);
        }
        // The join creates the ledger and asks the other node about its ledger before answering: slow on a loaded machine.
        await page.Locator("#join-submit").ClickAsync();
        await page.Locator("#group-joined, #error-address").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        Assert.True(await page.Locator("#group-joined").CountAsync() == 1, await page.Locator("main").InnerTextAsync());
        Assert.Equal(1, await page.Locator("#group-joined").CountAsync());
        Assert.Equal(1, await page.Locator($"#membership-{Ledger}").CountAsync());

        // Joining again is refused on the field: this node's ledger has joined already.
        await page.FillAsync("#address", address);
        await page.Locator("#offer-submit").ClickAsync();
        await page.Locator("#join-submit").ClickAsync();
        Assert.Equal("already_joined", await page.Locator("#error-address").GetAttributeAsync("data-code"));
    }

    /// <summary>A member who may pay, bill and answer bills from the node's ledger (its editor).</summary>
    private static string Register(PeerNode node)
    {
        var username = $"m{Guid.NewGuid():N}"[..12];
        node.Service<MemberService>().Register(username, null, Password, MemberRole.Member);
        node.Service<DatasetService>().SetGrant(UiNode.Admin, Ledger, username, GrantRole.Editor);
        return username;
    }

    private static async Task SignInAsync(IPage page, string username, string password = Password)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>Reloads the history until the transaction's row is in <paramref name="state"/>; returns the row.</summary>
    private static async Task<ILocator> StateAsync(IPage page, string rowId, string state, string what)
    {
        var row = page.Locator($"#{rowId}");
        await Eventually.ForAsync(async () =>
        {
            await page.GotoAsync("/credit/history");
            return await row.CountAsync() == 1 ? await row.GetAttributeAsync("data-state") : null;
        }, shown => shown == state, what);
        return row;
    }
}
