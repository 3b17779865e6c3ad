using System.Net;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// The shared place's calendar feed on the real node: made on the member API, read by a client with no credential and
/// no cookie at <c>/place/public/calendars/{token}.ics</c>, a 404 once rotated or while the place is off.
/// </summary>
public sealed class PlaceCalendarFeedTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private async Task SwitchAsync(HttpClient admin, bool on) =>
        await NodeFactory.Expect(await admin.PutAsync("/api/admin/modules/place", NodeFactory.Json($$"""{"enabled":{{(on ? "true" : "false")}}}""")), 200);

    [Fact]
    public async Task A_feed_is_read_without_a_credential_and_follows_the_switch_and_the_rotation()
    {
        using var admin = await node.AdminAsync();
        await SwitchAsync(admin, true);
        var rooms = node.Unique("rooms-");
        await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NodeFactory.Json($$"""{"slug":"{{rooms}}","title":{"en":"Rooms"},"kind":"place.resources"}""")), 201);
        var room = node.Unique("room");
        await NodeFactory.Expect(await admin.PostAsync($"/api/datasets/{rooms}/records",
            NodeFactory.Json($$$"""{"id":"{{{room}}}","data":{"name":{"fr":"Salle","en":"Room"},"category":"room"}}""")), 201);

        var made = await NodeFactory.Expect(await admin.PostAsync($"/api/place/calendars/resource/{room}?language=fr", null), 200);
        var url = new Uri((string)made["url"]!);
        using var program = node.Client();
        var feed = await program.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", feed.Content.Headers.ContentType!.ToString());
        Assert.Contains("X-WR-CALNAME:Salle", await feed.Content.ReadAsStringAsync());
        Assert.NotNull(feed.Headers.ETag);

        await SwitchAsync(admin, false);
        await NodeFactory.ExpectProblem(await program.GetAsync(url.PathAndQuery), 404);
        await SwitchAsync(admin, true);
        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync(url.PathAndQuery)).StatusCode);

        var rotated = await NodeFactory.Expect(await admin.PostAsync($"/api/place/calendars/resource/{room}", null), 200);
        await NodeFactory.ExpectProblem(await program.GetAsync(url.PathAndQuery), 404);
        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync(new Uri((string)rotated["url"]!).PathAndQuery)).StatusCode);
        await NodeFactory.ExpectProblem(await program.GetAsync("/place/public/calendars/not-a-token.ics"), 404);

        var usage = await NodeFactory.Expect(await admin.GetAsync("/api/place/usage?month=2026-03"), 200);
        Assert.Equal("2026-03", (string?)usage["month"]);
        Assert.IsType<JsonArray>(usage["rows"]);
    }
}
