using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;

namespace Commons.Modules.Place.Tests;

/// <summary>The module's API and pages over real HTTP: the service decides, the endpoints and forms only carry its answer and its codes.</summary>
public sealed partial class PlaceHttpTests : IAsyncLifetime
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PlaceHost.StartAsync(_node);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    private static JsonContent Booking(string start, string end, string resource = "hall") =>
        JsonContent.Create(new { resource, start, end, purpose = "choir" });

    private static async Task<string?> Code(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task The_api_books_refuses_with_the_rules_code_lists_and_cancels()
    {
        using var alice = _host.Client("alice");
        var made = await alice.PostAsync("/api/place/bookings", Booking("2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var booking = await made.Content.ReadFromJsonAsync<JsonElement>();
        var id = booking.GetProperty("id").GetString()!;
        Assert.Equal($"/api/place/bookings/{id}", made.Headers.Location!.OriginalString);
        Assert.Equal(("alice", "confirmed", "2026-04-01T10:00:00+02:00"),
            (booking.GetProperty("bookedBy").GetString(), booking.GetProperty("state").GetString(), booking.GetProperty("start").GetString()));

        using var bob = _host.Client("bob");
        var clash = await bob.PostAsync("/api/place/bookings", Booking("2026-04-01T11:00:00+02:00", "2026-04-01T13:00:00+02:00"));
        Assert.Equal((HttpStatusCode.Conflict, PlaceCodes.BookingConflict), (clash.StatusCode, await Code(clash)));
        var tooLong = await bob.PostAsync("/api/place/bookings", Booking("2026-04-02T10:00:00+02:00", "2026-04-02T15:00:00+02:00"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, PlaceCodes.BookingTooLong), (tooLong.StatusCode, await Code(tooLong)));
        var noOffset = await bob.PostAsync("/api/place/bookings", Booking("2026-04-02T10:00:00", "2026-04-02T11:00:00"));
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (noOffset.StatusCode, await Code(noOffset)));
        using var reader = _host.Client("reader");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/place/bookings", Booking("2026-04-03T10:00:00+02:00", "2026-04-03T11:00:00+02:00"))).StatusCode);

        var resources = await alice.GetFromJsonAsync<JsonElement>("/api/place/resources?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z");
        var hall = resources.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "hall");
        Assert.Equal("2026-04-01T12:00:00+02:00", hall.GetProperty("busy")[0].GetProperty("end").GetString());
        Assert.Equal(0, (await bob.GetFromJsonAsync<JsonElement>("/api/place/bookings")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"/api/place/bookings/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/place/bookings/{id}")).StatusCode);
        Assert.Equal("choir", (await alice.GetFromJsonAsync<JsonElement>(made.Headers.Location)).GetProperty("purpose").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/place/resources/nothing")).StatusCode);

        var cancelled = await alice.PostAsync($"/api/place/bookings/{id}/cancel", null);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsync("/api/place/bookings", Booking("2026-04-01T11:00:00+02:00", "2026-04-01T13:00:00+02:00"))).StatusCode);
    }

    [Fact]
    public async Task The_pages_show_the_place_in_the_readers_language_with_free_and_busy_days()
    {
        _node.Place.Book(PlaceNode.Alice, PlaceNode.Ask("hall", "2026-03-23T10:00:00+01:00", "2026-03-23T12:00:00+01:00"));
        using var fr = _host.Client("alice", "fr");
        var home = await fr.GetStringAsync("/place");
        Assert.Contains("Lieu partagé", home);
        Assert.Contains("Grande salle", home);
        Assert.Contains("Mes réservations", home);

        using var nl = _host.Client("bob", "nl");
        var week = await nl.GetStringAsync("/place/resources/hall");
        Assert.Contains("Grote zaal", week);
        Assert.Matches(DayWithBooking(), week);
        Assert.Contains("datetime=\"2026-03-23T10:00:00&#x2B;01:00\"", week);
        Assert.Contains("vrij", week);
        Assert.Equal(HttpStatusCode.NotFound, (await nl.GetAsync("/place/resources/nothing")).StatusCode);
    }

    [Fact]
    public async Task The_booking_form_shows_the_rules_message_by_its_code_and_books_when_it_may()
    {
        _node.Place.Book(PlaceNode.Bob, PlaceNode.Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        using var alice = _host.Client("alice", "fr");

        var conflict = await Post(alice, "hall", "2026-04-01", "11:00", "13:00");
        var page = await conflict.Content.ReadAsStringAsync();
        Assert.True(conflict.StatusCode == HttpStatusCode.Conflict, page);
        Assert.Contains("data-code=\"booking_conflict\"", page);
        Assert.Contains("Quelqu’un d’autre a réservé", page);

        var early = await Post(alice, "hall", "2026-04-01", "06:00", "07:00");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        var earlyPage = await early.Content.ReadAsStringAsync();
        Assert.Contains("id=\"error-StartTime\" data-code=\"outside_opening_hours\"", earlyPage);
        Assert.Contains("aria-invalid=\"true\"", earlyPage);
        Assert.Contains("value=\"06:00\"", earlyPage);

        var unreadable = await Post(alice, "hall", "", "6h", "07:00");
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("id=\"error-StartDate\"", await unreadable.Content.ReadAsStringAsync());

        var made = await Post(alice, "hall", "2026-04-01", "14:00", "16:00");
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        Assert.StartsWith("/place?booked=", new Uri(_host.Address, made.Headers.Location!).PathAndQuery);
        Assert.Single(_node.Place.Bookings(PlaceNode.Alice));
        Assert.Equal(PlaceNode.At("2026-04-01T12:00:00Z"), _node.Place.Bookings(PlaceNode.Alice)[0].Booking.Start);
    }

    [Fact]
    public async Task Cancelling_on_the_page_frees_the_time_and_another_members_booking_is_not_found()
    {
        var booking = _node.Place.Book(PlaceNode.Alice, PlaceNode.Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        using var bob = _host.Client("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/place/bookings/{booking.Id}/cancel")).StatusCode);
        using var alice = _host.Client("alice");
        var token = await TokenOf(alice, $"/place/bookings/{booking.Id}/cancel");
        var fields = new Dictionary<string, string> { ["_handler"] = "place-cancel", ["__RequestVerificationToken"] = token };
        var bobs = new Dictionary<string, string> { ["_handler"] = "place-cancel", ["__RequestVerificationToken"] = await TokenOf(bob, "/place/book") };
        var refused = await bob.PostAsync($"/place/bookings/{booking.Id}/cancel", new FormUrlEncodedContent(bobs));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("id=\"not-found\"", await refused.Content.ReadAsStringAsync());
        Assert.Equal("confirmed", _node.Place.FindBooking(PlaceNode.Alice, booking.Id).Booking.State);

        var done = await alice.PostAsync($"/place/bookings/{booking.Id}/cancel", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("cancelled", _node.Place.FindBooking(PlaceNode.Alice, booking.Id).Booking.State);
        Assert.Empty(_node.Place.Resource(PlaceNode.Alice, "hall", PlaceNode.At("2026-04-01T00:00:00Z"), PlaceNode.At("2026-04-02T00:00:00Z")).Busy);
    }

    [Fact]
    public async Task A_steward_approves_and_refuses_pending_bookings_over_the_api_and_on_the_approvals_page()
    {
        _node.Records.Create(PlaceNode.Admin, "rooms", "studio", PlaceNode.Doc("""{"name":{"fr":"Studio","en":"Studio"},"category":"room","approval":"steward"}"""));
        using var alice = _host.Client("alice");
        var made = await (await alice.PostAsync("/api/place/bookings", Booking("2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00", "studio"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", made.GetProperty("state").GetString());
        var id = made.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync($"/api/place/bookings/{id}/approve", null)).StatusCode);
        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/place/approvals")).GetArrayLength());

        using var root = _host.Client("root", "fr");
        Assert.Equal(id, (await root.GetFromJsonAsync<JsonElement>("/api/place/approvals"))[0].GetProperty("id").GetString());
        var page = await root.GetStringAsync("/place/approvals");
        Assert.Contains("Réservations à approuver", page);
        Assert.Contains($"value=\"approve:{id}\"", page);

        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "place-approval", ["__RequestVerificationToken"] = await TokenOf(root, "/place/approvals"), ["Decision.Choice"] = $"approve:{id}",
        };
        var approved = await root.PostAsync("/place/approvals", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("confirmed", _node.Place.FindBooking(PlaceNode.Alice, id).Booking.State);
        var again = await root.PostAsync($"/api/place/bookings/{id}/refuse", null);
        Assert.Equal((HttpStatusCode.Conflict, PlaceCodes.BookingNotPending), (again.StatusCode, await Code(again)));

        var second = (await (await alice.PostAsync("/api/place/bookings", Booking("2026-04-02T10:00:00+02:00", "2026-04-02T12:00:00+02:00", "studio"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var refused = await root.PostAsync($"/api/place/bookings/{second}/refuse", null);
        Assert.Equal("refused", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        using var nl = _host.Client("alice", "nl");
        Assert.Contains("Geweigerd", await nl.GetStringAsync("/place"));
    }

    [Fact]
    public async Task The_pages_of_places_elsewhere_say_when_none_is_followed_and_the_api_lists_none()
    {
        using var fr = _host.Client("alice", "fr");
        Assert.Contains("Ce nœud ne suit encore aucun autre lieu", await fr.GetStringAsync("/place/elsewhere"));
        Assert.Contains("Vous n’avez aucune réservation dans un autre lieu.", await fr.GetStringAsync("/place/elsewhere/bookings"));
        Assert.Contains("Réserver dans un autre lieu", await fr.GetStringAsync("/place/elsewhere/book"));
        Assert.Equal(0, (await fr.GetFromJsonAsync<JsonElement>("/api/place/elsewhere")).GetArrayLength());
        Assert.Equal(0, (await fr.GetFromJsonAsync<JsonElement>("/api/place/elsewhere/bookings")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await fr.GetAsync("/api/place/elsewhere/nothing/slots")).StatusCode);
        var noPlace = await fr.PostAsync("/api/place/elsewhere/bookings", JsonContent.Create(new { place = "nothing", resource = "hall", start = "2026-04-01T10:00:00+02:00", end = "2026-04-01T11:00:00+02:00" }));
        Assert.Equal(HttpStatusCode.NotFound, noPlace.StatusCode);
        var noOffset = await fr.PostAsync("/api/place/elsewhere/bookings", JsonContent.Create(new { place = "nothing", resource = "hall", start = "2026-04-01T10:00:00" }));
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (noOffset.StatusCode, await Code(noOffset)));
    }

    private static async Task<string> TokenOf(HttpClient client, string path)
    {
        var input = TokenInput().Match(await client.GetStringAsync(path)).Value;
        var token = TokenValue().Match(input).Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string resource, string day, string from, string to)
    {
        var token = await TokenOf(client, "/place/book");
        return await client.PostAsync("/place/book", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "place-book", ["__RequestVerificationToken"] = token,
            ["Form.Resource"] = resource, ["Form.StartDate"] = day, ["Form.StartTime"] = from, ["Form.EndTime"] = to,
        }));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex TokenValue();

    [GeneratedRegex("id=\"day-2026-03-23\"><strong>[^<]+:</strong>\\s*gereserveerd <span class=\"busy\"><time[^>]*>10:00</time>–<time[^>]*>12:00</time></span>")]
    private static partial Regex DayWithBooking();
}
