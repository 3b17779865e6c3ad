using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Tests.Support;
using Commons.Platform;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The usage page over real HTTP, on both sides: B's member sees B's bookings at A under "booked elsewhere", with their
/// bill, and downloads them as CSV (API and page); A's steward sees the payments asked in credit, A's member does not.
/// </summary>
public sealed class ElsewhereUsageHttpTests : IAsyncLifetime
{
    private readonly PlaceNode _a = new PlaceNode().WithPlace();
    private readonly PlaceNode _b = new();
    private ModuleTestHost _hostA = null!;
    private ModuleTestHost _hostB = null!;
    private string _booking = "";

    public async Task InitializeAsync()
    {
        FollowedPlace.Link(_a, _b);
        var request = new IncomingRequest(_a.DatasetStore.Find("rooms")!, "https://b.example/requests/1", "place.book", FollowedPlace.B, "b.example",
            JsonSerializer.SerializeToElement(new { resource = "workshop", start = "2026-04-01T14:00:00+02:00", end = "2026-04-01T16:30:00+02:00" }), _a.Clock.GetUtcNow());
        _booking = (await _a.BookHandler.DecideAsync(request, CancellationToken.None)).Result!.Value.GetProperty("booking").GetString()!;
        new PlaceReports(_a).BookForPeer(FollowedPlace.C, "workshop", "2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00");
        _hostA = await new PlaceReports(_a).StartAsync();
        _hostB = await new PlaceReports(_b).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
    }

    [Theory]
    [InlineData("fr", "Réservé ailleurs en avril 2026", "Atelier", "7,50 unités de crédit — paiement demandé", "25,00")]
    [InlineData("nl", "Elders gereserveerd in april 2026", "Werkplaats", "7,50 krediteenheden — betaling gevraagd", "25,00")]
    [InlineData("en", "Booked elsewhere in April 2026", "Workshop", "7.50 credit units — payment asked", "25.00")]
    public async Task Bs_member_sees_Bs_bookings_at_A_with_their_bill_and_nothing_of_C(string language, string heading, string resource, string payment, string eur)
    {
        using var bob = _hostB.Client("bob", language);
        var html = await bob.GetStringAsync("/place/usage?month=2026-04");
        Assert.Contains($"<h2 id=\"elsewhere-heading\">{heading}</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<td data-label=\"", html, StringComparison.Ordinal);
        Assert.Contains(resource, html, StringComparison.Ordinal);
        Assert.Contains(payment, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains(eur, html, StringComparison.Ordinal);
        Assert.Contains($"id=\"usage-elsewhere-{_booking}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("c.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"credit-bills\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_and_the_page_download_give_the_same_bookings_elsewhere()
    {
        using var bob = _hostB.Client("bob");
        using var json = JsonDocument.Parse(await bob.GetStringAsync("/api/place/usage/elsewhere?month=2026-04"));
        var place = Assert.Single(json.RootElement.GetProperty("places").EnumerateArray());
        Assert.Equal((FollowedPlace.RoomsActor, true, 2.5m, 25m, 7.5m), (place.GetProperty("place").GetString(), place.GetProperty("fresh").GetBoolean(),
            place.GetProperty("hours").GetDecimal(), place.GetProperty("costEur").GetDecimal(), place.GetProperty("costCredit").GetDecimal()));
        var item = Assert.Single(place.GetProperty("items").EnumerateArray());
        Assert.Equal((_booking, "pending", 7.5m), (item.GetProperty("booking").GetString(), item.GetProperty("paymentState").GetString(), item.GetProperty("paymentAmount").GetDecimal()));

        var api = await bob.GetStringAsync("/api/place/usage/elsewhere.csv?month=2026-04");
        var download = await bob.GetAsync("/place/usage/elsewhere.csv?month=2026-04");
        Assert.Equal("place-usage-elsewhere-2026-04.csv", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        var lines = (await download.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(api.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..], lines[1..]);
        Assert.Equal(2, lines.Length);
        Assert.Equal(["2026-04", FollowedPlace.RoomsActor, "Maison de quartier", "workshop", _booking], lines[1].Split(',')[..5]);
        Assert.Equal(400, (int)(await bob.GetAsync("/api/place/usage/elsewhere?month=2026-13")).StatusCode);
    }

    [Fact]
    public async Task As_steward_sees_the_payments_asked_in_credit_and_As_member_does_not()
    {
        using var root = _hostA.Client("root", "fr");
        var html = System.Net.WebUtility.HtmlDecode(await root.GetStringAsync("/place/usage?month=2026-04"));
        Assert.Contains("Paiements demandés en crédit en avril 2026", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"bill-{_booking}\" data-state=\"pending\"", html, StringComparison.Ordinal);
        Assert.Contains("7,50 unités de crédit — paiement demandé", html, StringComparison.Ordinal);

        using var bob = _hostA.Client("bob", "fr");
        Assert.DoesNotContain("id=\"credit-bills\"", await bob.GetStringAsync("/place/usage?month=2026-04"), StringComparison.Ordinal);
    }
}
