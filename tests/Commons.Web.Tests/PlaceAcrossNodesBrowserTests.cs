using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Federation.Following;
using Commons.Modules.Place.Kinds;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The shared place across two real nodes, in a real browser, in French and Dutch: a member of B picks a free slot of
/// A's room on B's pages and books it; it waits on both sides for A's steward, who approves it on A's page; B's page
/// shows it confirmed and A's week shows the time booked; B cancels from its page and both sides show the slot free again.
/// The set-up (module on, datasets, the room, the follow and its acceptance) goes through the nodes' services.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlaceAcrossNodesBrowserTests
{
    private const string Room = "studio-1";
    private const string Password = "member-password-for-place-tests";

    /// <summary>
    /// How long the set-up waits for a message between the nodes: a first delivery that a loaded machine lets time out
    /// is tried again after about 30 s (the default retry schedule), which the usual 30 s wait did not cover.
    /// </summary>
    private const int CrossNodeSeconds = 90;

    private sealed record Words(string Elsewhere, string Book, string Bookings, string Approvals, string Pending, string Confirmed, string Cancelled, string Booked, string Free);

    private static Words In(string lang) => lang == "fr"
        ? new("Lieux que nous suivons", "Réserver dans un autre lieu", "Nos réservations ailleurs", "Réservations à approuver",
            "En attente d’approbation", "Confirmée", "Annulée", "réservé", "libre")
        : new("Plekken die we volgen", "Reserveren op een andere plek", "Onze reserveringen elders", "Te keuren reserveringen",
            "Wacht op goedkeuring", "Bevestigd", "Geannuleerd", "gereserveerd", "vrij");

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task B_books_As_room_As_steward_approves_both_show_it_B_cancels_and_the_slot_is_free_again(string lang, string locale)
    {
        var words = In(lang);
        await using var a = new PeerNode();
        await using var b = new PeerNode();
        var steward = OpenPlace(a);
        Switch(b);
        var subscription = await FollowAsync(b, a);
        var member = Register(b);

        // Three days ahead: past any notice, and among the soonest free slots B's page lists.
        var day = DateOnly.FromDateTime(PlaceTime.Local(DateTimeOffset.UtcNow).DateTime).AddDays(3);
        DateTimeOffset At(int hour) => PlaceTime.FromLocal(day.ToDateTime(new TimeOnly(hour, 0)));
        var wholeDay = (PlaceTime.Text(At(8)), PlaceTime.Text(At(22)));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var onB = await Chromium.NewContextAsync(browser, b.Url, locale, 1280, 900);
        await using var onA = await Chromium.NewContextAsync(browser, a.Url, locale, 1280, 900);
        var bPage = await onB.NewPageAsync();
        var aPage = await onA.NewPageAsync();
        var csp = Chromium.WatchCsp(bPage);
        csp.AddRange(Chromium.WatchCsp(aPage));
        await SignInAsync(bPage, member);
        await SignInAsync(aPage, steward);

        // B's member sees A's room with the whole day free, and books an hour of it from there.
        await bPage.GotoAsync("/place/elsewhere");
        await Chromium.ShotAsync(bPage, $"place-across-{lang}-elsewhere", words.Elsewhere);
        var row = bPage.Locator($"#remote-{subscription}-{Room}");
        Assert.Contains(wholeDay, await FreeSlotsAsync(row));
        await row.Locator("a[href^='/place/elsewhere/book']").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/place/elsewhere/book");
        await Chromium.ShotAsync(bPage, $"place-across-{lang}-book", words.Book);
        Assert.Equal($"{subscription}:{Room}", await bPage.Locator("#resource").InputValueAsync());
        await bPage.FillAsync("#start-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await bPage.FillAsync("#start-time", "10:00");
        await bPage.FillAsync("#end-time", "11:00");
        await bPage.FillAsync("#purpose", "chorale");
        await bPage.Locator("#book-submit").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/place/elsewhere/bookings");
        Assert.Equal(1, await bPage.Locator("#elsewhere-done").CountAsync());

        // Pending on B's page; A holds the time for its steward.
        var pending = await StateOnBAsync(bPage, "pending");
        Assert.Contains(words.Pending, pending);
        await Chromium.ShotAsync(bPage, $"place-across-{lang}-pending", words.Bookings);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(bPage, $"B's bookings elsewhere with one pending, in {lang}");
        await bPage.SetViewportSizeAsync(1280, 900);
        await Eventually.ForAsync(async () => await ReloadedAsync(aPage, "/place/approvals", "#approvals tbody tr"), n => n == 1,
            "the booking to wait on A's approvals page");
        var approval = aPage.Locator("#approvals tbody tr");
        var waiting = await approval.InnerTextAsync();
        Assert.Contains(b.Address.Authority, waiting, StringComparison.Ordinal);
        Assert.Contains("chorale", waiting, StringComparison.Ordinal);
        Assert.Equal(PlaceTime.Text(At(10)), await approval.Locator("time").First.GetAttributeAsync("datetime"));
        await Chromium.ShotAsync(aPage, $"place-across-{lang}-approvals", words.Approvals);
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(aPage, $"A's approvals with one waiting, in {lang}");
        await aPage.SetViewportSizeAsync(1280, 900);

        // A's steward approves on A's page.
        await approval.Locator("button[id^='approve-']").ClickAsync();
        await aPage.WaitForURLAsync(u => new Uri(u).Query.Contains("approved=", StringComparison.Ordinal));
        Assert.Equal(1, await aPage.Locator("#approval-done").CountAsync());
        Assert.Equal(1, await aPage.Locator("#no-approvals").CountAsync());

        // Both sides show it: confirmed on B's page, the hour booked in A's week and gone from B's list of A's free slots.
        Assert.Contains(words.Confirmed, await StateOnBAsync(bPage, "confirmed"));
        var dayOnA = await DayOnAAsync(aPage, day, text => text.Contains(words.Booked, StringComparison.Ordinal), "the hour booked in A's week");
        Assert.Equal(PlaceTime.Text(At(10)), await aPage.Locator($"#day-{Iso(day)} span.busy time").First.GetAttributeAsync("datetime"));
        Assert.Contains(words.Booked, dayOnA, StringComparison.Ordinal);
        await Chromium.ShotAsync(aPage, $"place-across-{lang}-week-booked", "Studio");
        await bPage.GotoAsync("/place/elsewhere");
        var split = await FreeSlotsAsync(row);
        Assert.DoesNotContain(wholeDay, split);
        Assert.Contains((PlaceTime.Text(At(8)), PlaceTime.Text(At(10))), split);
        Assert.Contains((PlaceTime.Text(At(11)), PlaceTime.Text(At(22))), split);

        // B cancels from its page; A frees the time, and both sides show the day free again.
        await bPage.GotoAsync("/place/elsewhere/bookings");
        await bPage.Locator("#elsewhere-bookings tbody tr button[id^='cancel-']").ClickAsync();
        await bPage.WaitForURLAsync(u => new Uri(u).Query.Contains("cancelling=1", StringComparison.Ordinal));
        Assert.Contains(words.Cancelled, await StateOnBAsync(bPage, "cancelled"));
        Assert.Equal(0, await bPage.Locator("#elsewhere-bookings button[id^='cancel-']").CountAsync());
        await DayOnAAsync(aPage, day, text => text.Contains(words.Free, StringComparison.Ordinal) && !text.Contains(words.Booked, StringComparison.Ordinal),
            "the day free again in A's week");
        await Chromium.ShotAsync(aPage, $"place-across-{lang}-week-free", "Studio");
        await Eventually.ForAsync(async () =>
        {
            await bPage.GotoAsync("/place/elsewhere");
            return await FreeSlotsAsync(row);
        }, slots => slots.Contains(wholeDay), "the whole day free again among A's slots on B");
        Assert.Empty(csp);
    }

    /// <summary>A's place: the module on, a resources dataset with a room a steward approves, a bookings dataset; returns A's steward.</summary>
    private static string OpenPlace(PeerNode a)
    {
        Switch(a);
        var datasets = a.Service<DatasetService>();
        var resources = $"salles-{Guid.NewGuid():N}"[..16];
        var bookings = $"reservations-{Guid.NewGuid():N}"[..22];
        datasets.Create(UiNode.Admin, new DatasetDraft
        {
            Slug = resources, Title = new LocalizedText("Nos salles", "Onze zalen", "Our rooms"), Kind = ResourcesKind.KindName, Policy = SharingPolicy.Approval,
        });
        datasets.Create(UiNode.Admin, new DatasetDraft
        {
            Slug = bookings, Title = new LocalizedText("Réservations", "Reserveringen", "Bookings"), Kind = "place.bookings",
        });
        a.Service<RecordService>().Create(UiNode.Admin, resources, Room, JsonDocument.Parse("""
            {"name":{"en":"Studio","fr":"Studio","nl":"Studio"},"category":"room","approval":"steward",
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
            """).RootElement.Clone());
        var steward = Register(a);
        datasets.SetGrant(UiNode.Admin, resources, steward, GrantRole.Steward);
        datasets.SetGrant(UiNode.Admin, bookings, steward, GrantRole.Steward);
        return steward;
    }

    private static void Switch(PeerNode node) => node.Service<ModuleAdministration>().Set(UiNode.Admin, "place", true);

    private static string Register(PeerNode node)
    {
        var username = $"m{Guid.NewGuid():N}"[..12];
        node.Service<MemberService>().Register(username, null, Password, MemberRole.Member);
        return username;
    }

    /// <summary>B follows A's resources, A's steward accepts, and the room reaches B's copy; returns B's subscription.</summary>
    private static async Task<string> FollowAsync(PeerNode b, PeerNode a)
    {
        var resources = a.Service<IDatasetStore>().List().Single(d => d.Kind == ResourcesKind.KindName).Slug;
        await a.WarmAsync(resources);
        var followed = await b.Service<SubscriptionService>().FollowAsync(UiNode.Admin, a.Handle(resources), CancellationToken.None);
        var followers = a.Service<FollowerService>();
        await Eventually.ForAsync(() => Task.FromResult(followers.List(UiNode.Admin, resources, FollowerState.Pending)),
            pending => pending.Any(f => f.ActorUri == b.NodeActor), "B's follow request on A", CrossNodeSeconds);
        followers.Accept(UiNode.Admin, resources, b.NodeActor);
        var subscriptions = b.Service<ISubscriptionStore>();
        var replicas = b.Service<IReplicaStore>();
        await Eventually.ForAsync(() => Task.FromResult(subscriptions.Find(followed.Id)), s => s?.State == SubscriptionState.Accepted && s.Kind == ResourcesKind.KindName,
            "B's follow to be accepted", CrossNodeSeconds);
        await Eventually.ForAsync(() => Task.FromResult(replicas.Count(followed.Id)), n => n == 1, "the room to reach B's copy", CrossNodeSeconds);
        return followed.Id;
    }

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", Password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>The free slots a row of B's list shows, as (start, end) in the place's time.</summary>
    private static async Task<List<(string, string)>> FreeSlotsAsync(ILocator row)
    {
        var slots = new List<(string, string)>();
        foreach (var item in await row.Locator("ul.free-slots li").AllAsync())
        {
            var times = item.Locator("time");
            slots.Add((await times.Nth(0).GetAttributeAsync("datetime") ?? "", await times.Nth(1).GetAttributeAsync("datetime") ?? ""));
        }
        return slots;
    }

    /// <summary>Reloads <paramref name="path"/> and counts what <paramref name="selector"/> finds.</summary>
    private static async Task<int> ReloadedAsync(IPage page, string path, string selector)
    {
        await page.GotoAsync(path);
        return await page.Locator(selector).CountAsync();
    }

    /// <summary>Reloads B's bookings page until its one booking is in <paramref name="state"/>; returns the row's text.</summary>
    private static async Task<string> StateOnBAsync(IPage page, string state)
    {
        await Eventually.ForAsync(async () =>
        {
            await page.GotoAsync("/place/elsewhere/bookings");
            var rows = page.Locator("#elsewhere-bookings tbody tr");
            return await rows.CountAsync() == 1 ? await rows.GetAttributeAsync("data-state") : null;
        }, shown => shown == state, $"B's booking to show {state}");
        return await page.Locator("#elsewhere-bookings tbody tr").InnerTextAsync();
    }

    /// <summary>Reloads the room's week on A from <paramref name="day"/> until that day's line satisfies <paramref name="accept"/>.</summary>
    private static Task<string> DayOnAAsync(IPage page, DateOnly day, Func<string, bool> accept, string what) =>
        Eventually.ForAsync(async () =>
        {
            await page.GotoAsync($"/place/resources/{Room}?from={Iso(day)}");
            return await page.Locator($"#day-{Iso(day)}").InnerTextAsync();
        }, accept, what);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
