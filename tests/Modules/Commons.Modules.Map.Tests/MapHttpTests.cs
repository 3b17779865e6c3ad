using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Federation;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>The module's API over real HTTP: the profile, its Murmurations export without the fields kept home, the matches with reasons, and the codes.</summary>
public sealed class MapHttpTests : IAsyncLifetime
{
    private readonly MapNode _node = new();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MapHost.StartAsync(_node);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task The_profile_is_put_read_and_exported_to_murmurations_without_its_contact()
    {
        using var root = _host.Client("root");
        using var alice = _host.Client("alice");
        Assert.Equal("no_profile", await Code(await alice.GetAsync("/api/map/profile"), HttpStatusCode.NotFound));
        var body = new { data = JsonDocument.Parse("""
            {"name":"Buurthuis Kaai","nickname":["Kaai"],"description":{"nl":"Buurthuis in Anderlecht."},"legal_form":"asbl_vzw","commune":"21001",
             "contact_details":{"email":"info@kaai.example"},"telephone":"+32 2 111 11 11","primary_url":"https://kaai.example"}
            """).RootElement };
        Assert.Equal("no_profile_dataset", await Code(await root.PutAsJsonAsync("/api/map/profile", body), HttpStatusCode.Conflict));

        _node.CreateDataset("profile", ProfileKind.KindName);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PutAsJsonAsync("/api/map/profile", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.PutAsJsonAsync("/api/map/profile", body)).StatusCode);
        var profile = await alice.GetFromJsonAsync<JsonElement>("/api/map/profile");
        Assert.Equal("Buurthuis Kaai", profile.GetProperty("data").GetProperty("name").GetString());

        var murmurations = await alice.GetAsync("/api/map/profile/murmurations");
        Assert.Equal("application/json", murmurations.Content.Headers.ContentType?.MediaType);
        var text = await murmurations.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(text).RootElement;
        Assert.Equal("organizations_schema-v1.0.0", export.GetProperty("linked_schemas")[0].GetString());
        Assert.Equal("Buurthuis Kaai", export.GetProperty("name").GetString());
        Assert.Equal("Kaai", export.GetProperty("nickname").GetString());
        Assert.Equal("https://kaai.example", export.GetProperty("primary_url").GetString());
        Assert.DoesNotContain("info@kaai.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("111 11 11", text, StringComparison.Ordinal);

        var invalid = new { data = JsonDocument.Parse("""{"name":"X","legal_form":"sprl"}""").RootElement };
        Assert.Equal("validation_failed", await Code(await root.PutAsJsonAsync("/api/map/profile", invalid), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Matches_come_with_their_origin_and_reasons()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr","commune":"21013"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal te huur","language":"nl","commune":"21009"}"""),
            ("gym", """{"kind":"offer","category":"place","title":"Sportzaal te huur","language":"nl"}"""));
        using var alice = _host.Client("alice");
        var matches = await alice.GetFromJsonAsync<JsonElement>("/api/map/matches");
        var match = Assert.Single(matches.EnumerateArray());
        Assert.Equal("need-room", match.GetProperty("listing").GetString());
        Assert.Equal("zaal", match.GetProperty("matchId").GetString());
        Assert.Equal("https://b.example/datasets/offers/records/zaal", match.GetProperty("matchSource").GetString());
        Assert.Equal("b.example", match.GetProperty("matchOrganisation").GetString());
        Assert.Contains(match.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "vocabulary");
        Assert.Contains(match.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "commune");

        Assert.Equal("not_found", await Code(await alice.GetAsync("/api/map/matches?listing=nothing"), HttpStatusCode.NotFound));
        using var reader = _host.Client("reader");
        Assert.Single((await reader.GetFromJsonAsync<JsonElement>("/api/map/matches")).EnumerateArray());
    }

    private static async Task<string?> Code(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
    }
}
