using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The feeds over real HTTP: made on the member API, fetched by a client with no sign-in and no cookie, a wrong or
/// rotated token a 404; the calendar links page in three languages, its link shown once.
/// </summary>
public sealed partial class CalendarHttpTests : IAsyncLifetime
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private PlaceReports _reports = null!;
    private ModuleTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _reports = new PlaceReports(_node);
        _host = await _reports.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    /// <summary>What a calendar program is: no cookie container, no caller header, nothing but the URL.</summary>
    private HttpClient Program() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _host.Address };

    [Fact]
    public async Task A_feed_is_read_with_its_token_alone_and_a_wrong_or_rotated_token_is_a_404()
    {
        _node.Place.Book(Alice, Ask("hall", "2026-03-23T10:00:00+01:00", "2026-03-23T12:00:00+01:00"));
        using var root = _host.Client("root");
        var made = await root.PostAsync("/api/place/calendars/resource/hall?language=nl", null);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        Assert.Equal(_host.Address.Authority, url.Authority);
        Assert.Matches("^/place/public/calendars/[A-Za-z0-9_-]{43}\\.ics$", url.AbsolutePath);

        using var program = Program();
        var feed = await program.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", feed.Content.Headers.ContentType!.ToString());
        Assert.Equal("private, max-age=300", feed.Headers.NonValidated["Cache-Control"].ToString());
        var etag = feed.Headers.ETag!;
        var text = await feed.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", text);
        Assert.Contains("SUMMARY:Grote zaal · Gereserveerd (bevestigd)", text);
        Assert.Equal("Main hall · Booked (confirmed)", Ical.Net.Calendar.Load(await program.GetStringAsync(url.PathAndQuery + "?lang=en"))!.Events.Single().Summary);

        var again = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery) { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await program.SendAsync(again)).StatusCode);
        _node.Place.Book(Alice, Ask("hall", "2026-03-24T10:00:00+01:00", "2026-03-24T12:00:00+01:00"));
        var changed = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery) { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.OK, (await program.SendAsync(changed)).StatusCode);

        var wrong = await program.GetAsync("/place/public/calendars/" + new string('A', 43) + ".ics");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal("not_found", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var rotated = await root.PostAsync("/api/place/calendars/resource/hall", null);
        var next = new Uri((await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await program.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync(next.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await root.DeleteAsync("/api/place/calendars/resource/hall")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await program.GetAsync(next.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task The_api_lists_feeds_without_tokens_and_refuses_who_may_not_manage_them()
    {
        using var bob = _host.Client("bob");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync("/api/place/calendars/resource/hall", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync("/api/place/calendars/organisation/velo.example", null)).StatusCode);
        var bad = await bob.PostAsync("/api/place/calendars/organisation/this-node?language=de", null);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_parameter"), (bad.StatusCode, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        var made = await bob.PostAsync("/api/place/calendars/organisation/this-node?language=en", null);
        var url = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var token = url.Split('/')[^1][..^4];

        var listed = await bob.GetStringAsync("/api/place/calendars");
        Assert.DoesNotContain(token, listed);
        var feed = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
        Assert.Equal(("organisation", "this-node", true, "en", "bob"),
            (feed.GetProperty("kind").GetString(), feed.GetProperty("id").GetString(), feed.GetProperty("active").GetBoolean(), feed.GetProperty("language").GetString(), feed.GetProperty("by").GetString()));
        using var reader = _host.Client("reader");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync("/api/place/calendars/organisation/this-node")).StatusCode);
    }

    [Theory]
    [InlineData("fr", "Liens d’agenda", "Ressource\u00A0: Grande salle", "Créer un lien")]
    [InlineData("nl", "Agendalinks", "Middel: Grote zaal", "Een link maken")]
    [InlineData("en", "Calendar links", "Resource: Main hall", "Make a link")]
    public async Task The_page_makes_a_link_shows_it_once_and_says_so_in_the_readers_language(string language, string title, string hall, string make)
    {
        using var root = _host.Client("root", language);
        var page = await root.GetStringAsync("/place/calendars");
        Assert.Contains($"<h1>{title}</h1>", page);
        Assert.Contains(hall, WebUtility.HtmlDecode(page));
        Assert.Contains(make, WebUtility.HtmlDecode(page));

        var made = await root.PostAsync("/place/calendars", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "feed-resource-hall", ["__RequestVerificationToken"] = Token(page), ["language"] = language, ["action"] = "make",
        }));
        var shown = await made.Content.ReadAsStringAsync();
        Assert.True(made.StatusCode == HttpStatusCode.OK, shown);
        var url = FeedUrl().Match(shown).Groups[1].Value;
        Assert.NotEmpty(url);
        using var program = Program();
        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync(new Uri(url).PathAndQuery)).StatusCode);
        // Shown once: the next view of the page has no link in it, only that one is active.
        var later = await root.GetStringAsync("/place/calendars");
        Assert.DoesNotContain(new Uri(url).AbsolutePath, later);
        Assert.Contains("id=\"stop-resource-hall\"", later);

        using var bob = _host.Client("bob", language);
        var bobs = await bob.GetStringAsync("/place/calendars");
        Assert.DoesNotContain("feed-resource-hall", bobs);
        Assert.Contains("feed-organisation-this-node", bobs);
    }

    private static string Token(string page) => TokenValue().Match(TokenInput().Match(page).Value).Groups[1].Value;

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex TokenValue();

    [GeneratedRegex("id=\"made-url\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex FeedUrl();
}
