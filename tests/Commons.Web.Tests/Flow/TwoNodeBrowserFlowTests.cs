using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// The whole consent story in a real browser against two real nodes on 127.0.0.1, once in French and once in Dutch:
/// both nodes are set up through their setup page; on node A the administrator creates a dataset with the approval
/// policy and adds records through the generated form; on node B a member follows it by handle; A's steward accepts
/// the request on the sharing page; the records appear on B, their origin said once above the table; A's steward removes
/// the follower; the records disappear from B. Every page is screenshotted into test-output/screenshots and checked for
/// its translated heading and for not being blank.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class TwoNodeBrowserFlowTests
{
    private const string Password = "a-long-enough-admin-passphrase";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The headings (h1) the flow expects, per language.</summary>
    public sealed record Words(
        string Setup, string Dashboard, string NewDataset, string Datasets, string NewRecord, string Subscriptions,
        string Sharing, string RemoveFollower, string Verified);

    public static TheoryData<string, string> Languages => new() { { "fr", "fr-BE" }, { "nl", "nl-BE" } };

    private static Words In(string lang) => lang switch
    {
        "fr" => new("Installer ce nœud", "Tableau de bord", "Nouveau jeu de données", "Jeux de données", "Nouvel enregistrement", "Abonnements",
            "Partage de «\u00A0{0}\u00A0»", "Retirer un abonné", "un jeu de données de l’autre nœud {0}"),
        _ => new("Dit knooppunt instellen", "Overzicht", "Nieuwe dataset", "Datasets", "Nieuw record", "Abonnementen",
            "Delen van ‘{0}’", "Een volger verwijderen", "een dataset op het andere knooppunt {0}"),
    };

    [ChromiumTheory]
    [MemberData(nameof(Languages))]
    public async Task Setup_share_on_approval_follow_accept_replicate_and_remove(string lang, string locale)
    {
        var words = In(lang);
        await using var a = new FlowNode();
        await using var b = new FlowNode();
        a.Start();
        b.Start();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var onA = await OpenAsync(browser, a, locale);
        var onB = await OpenAsync(browser, b, locale);
        var cspA = Chromium.WatchCsp(onA);
        var cspB = Chromium.WatchCsp(onB);

        // 1. First run on both nodes: the setup page, with the code the node printed (and wrote beside its store).
        await SetUpAsync(onA, a, "Maison de quartier A", $"{lang}-01-setup-a", words);
        await SetUpAsync(onB, b, "Collectif B", $"{lang}-02-setup-b", words);

        // 2. On A: a dataset with the approval policy, its schema built with the form builder.
        var slug = $"salles-{lang}";
        await onA.GotoAsync("/datasets/new");
        await Chromium.ShotAsync(onA, $"{lang}-03-new-dataset", words.NewDataset);
        await onA.FillAsync("#slug", slug);
        await onA.FillAsync("#title-fr", "Salles à louer");
        await onA.FillAsync("#title-nl", "Zalen te huur");
        await onA.FillAsync("#title-en", "Rooms to rent");
        await onA.SelectOptionAsync("#policy", "Approval");
        await onA.FillAsync("#field-label-0", "name");
        await onA.SelectOptionAsync("#field-type-0", "string");
        await onA.CheckAsync("#field-required-0");
        await onA.FillAsync("#field-label-1", "seats");
        await onA.SelectOptionAsync("#field-type-1", "integer");
        await onA.ClickAsync("#dataset-save");
        await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/datasets/{slug}", Committed);
        var title = lang == "fr" ? "Salles à louer" : "Zalen te huur";
        await Chromium.ShotAsync(onA, $"{lang}-04-dataset", title);

        // 3. On A: records through the form generated from the schema.
        string[] rooms = ["Salle Aurore", "Salle Bruegel", "Salle Chantier"];
        for (var i = 0; i < rooms.Length; i++)
        {
            await onA.ClickAsync("#new-record");
            await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/datasets/{slug}/records/new", Committed);
            if (i == 0) await Chromium.ShotAsync(onA, $"{lang}-05-new-record", words.NewRecord);
            await onA.FillAsync("#field-name", rooms[i]);
            await onA.FillAsync("#field-seats", (20 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await onA.ClickAsync("#record-save");
            // Saved: the browser lands on the new record's own page, then goes back to the dataset.
            await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith($"/datasets/{slug}/records/", StringComparison.Ordinal) && !u.Contains("/records/new", StringComparison.Ordinal), Committed);
            await onA.GotoAsync($"/datasets/{slug}");
        }
        Assert.Equal(rooms.Length, await onA.Locator("#records tbody tr").CountAsync());

        // 4. On B: follow A's dataset by its handle; the request waits for A's steward.
        await FederationWarmUp.DatasetAsync(new Uri(a.Url), slug);
        await onB.GotoAsync("/subscriptions");
        await onB.FillAsync("#follow-target", $"{slug}@{a.Authority}");
        await onB.ClickAsync("#follow-submit");
        await onB.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/subscriptions", Committed);
        var row = onB.Locator("#subscriptions tbody tr").First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Chromium.ShotAsync(onB, $"{lang}-06-subscriptions-pending", words.Subscriptions);
        var subscriptionId = await row.GetAttributeAsync("data-subscription");
        Assert.False(string.IsNullOrEmpty(subscriptionId));

        // 5. On A: the steward sees the request on the sharing page and accepts it.
        var request = await ReloadUntilAsync(onA, $"/datasets/{slug}/sharing", "#pending-requests tbody tr[data-actor]", 1);
        await Chromium.ShotAsync(onA, $"{lang}-07-sharing-request", string.Format(System.Globalization.CultureInfo.InvariantCulture, words.Sharing, title));
        await request.First.Locator("button.accept").ClickAsync();
        await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/datasets/{slug}/sharing", Committed);
        await Assertions.Expect(onA.Locator("#followers tbody tr[data-actor]")).ToHaveCountAsync(1);

        // 6. On B: the records arrive, each with its provenance badge.
        var replicas = await ReloadUntilAsync(onB, $"/subscriptions/{subscriptionId}", "#replica-records tbody tr", rooms.Length);
        // Where they come from is said once above the table; no row is marked unverified.
        Assert.Equal(0, await replicas.Locator(".badge.unverified").CountAsync());
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, words.Verified, a.Authority), await onB.Locator("#replica-provenance").InnerTextAsync(), StringComparison.Ordinal);
        foreach (var room in rooms) Assert.Contains(room, await onB.Locator("#replica-records").InnerTextAsync(), StringComparison.Ordinal);
        await Chromium.ShotAsync(onB, $"{lang}-08-replica-verified", await onB.Locator("h1").InnerTextAsync());

        // 7. On A: the steward removes the follower, after a confirmation.
        await onA.GotoAsync($"/datasets/{slug}/sharing");
        await onA.Locator("#followers tbody tr[data-actor]").First.Locator("button.remove").ClickAsync();
        await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/datasets/{slug}/sharing/remove", Committed);
        await Chromium.ShotAsync(onA, $"{lang}-09-remove-confirm", words.RemoveFollower);
        await onA.ClickAsync("#confirm-remove button[type=submit]");
        await onA.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/datasets/{slug}/sharing", Committed);
        await Assertions.Expect(onA.Locator("#followers tbody tr[data-actor]")).ToHaveCountAsync(0);

        // 8. On B: the replica is purged; no room is left on the page.
        await ReloadUntilAsync(onB, $"/subscriptions/{subscriptionId}", "#replica-records tbody tr", 0);
        var text = await onB.Locator("main").InnerTextAsync();
        foreach (var room in rooms) Assert.DoesNotContain(room, text, StringComparison.Ordinal);
        await Chromium.ShotAsync(onB, $"{lang}-10-replica-purged", await onB.Locator("h1").InnerTextAsync());

        Assert.Empty(cspA);
        Assert.Empty(cspB);
    }

    /// <summary>
    /// Waiting for a navigation ends when the new document's HTML is in (DOMContentLoaded), not at its load event: on a
    /// loaded 2-core CI machine Chromium once sat 15 s on a page's load event after the page itself had arrived.
    /// </summary>
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.DOMContentLoaded };

    private static async Task<IPage> OpenAsync(IBrowser browser, FlowNode node, string locale)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            BaseURL = node.Url,
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
        });
        context.SetDefaultTimeout(Chromium.LoadedMachineTimeout);
        context.SetDefaultNavigationTimeout(Chromium.LoadedMachineTimeout);
        return await context.NewPageAsync();
    }

    private static async Task SetUpAsync(IPage page, FlowNode node, string nodeName, string shot, Words words)
    {
        // Before setup every page leads to the setup page.
        await page.GotoAsync("/");
        Assert.Equal("/setup", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync($"/setup?code={Uri.EscapeDataString(node.SetupCode)}");
        await Chromium.ShotAsync(page, shot, words.Setup);
        await page.FillAsync("#node-name", nodeName);
        await page.FillAsync("#admin-password", Password);
        await page.FillAsync("#admin-password-confirm", Password);
        await page.ClickAsync("#setup-submit");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", Committed);
        await Chromium.ShotAsync(page, shot + "-dashboard", words.Dashboard);
    }

    /// <summary>Loads the page again until it shows exactly <paramref name="count"/> elements matching the selector.</summary>
    private static async Task<ILocator> ReloadUntilAsync(IPage page, string path, string selector, int count)
    {
        var end = DateTime.UtcNow + Deadline;
        while (true)
        {
            await page.GotoAsync(path);
            var found = page.Locator(selector);
            var n = await found.CountAsync();
            if (n == count) return found;
            if (DateTime.UtcNow > end) throw new TimeoutException($"{path}: waited {Deadline.TotalSeconds} s for {count} × {selector}, last saw {n}");
            await Task.Delay(250);
        }
    }
}
