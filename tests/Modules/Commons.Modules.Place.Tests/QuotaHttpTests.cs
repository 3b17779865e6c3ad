using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// A resource's quota over real HTTP while no committee governs it (no IGovernance registered): a steward sets and
/// removes it through <c>PUT /api/place/resources/{id}/quota</c>, a member may not, the history is empty, and the
/// resource's page shows the quota in the reader's language. (Governed: tests/Modules/Commons.Modules.Committee.Tests/GovernedSettingsTests.)
/// </summary>
public sealed class QuotaHttpTests : IAsyncLifetime
{
    private readonly PlaceNode _node = new PlaceNode().WithStudio(10);
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PlaceHost.StartAsync(_node);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task A_steward_changes_the_quota_without_a_decision_while_nothing_governs_it_and_the_page_shows_it()
    {
        using var root = _host.Client("root");
        var set = await root.PutAsJsonAsync("/api/place/resources/studio/quota", new { hours = 12 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(12, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hours").GetInt32());
        Assert.Equal(12, ResourcesKind.QuotaOf(_node.Records.Get(PlaceNode.Admin, "rooms", "studio").Data));
        Assert.Equal("[]", await root.GetStringAsync("/api/place/resources/studio/quota/history"));

        using var fr = _host.Client("alice", "fr");
        var page = await fr.GetStringAsync("/place/resources/studio");
        Assert.Contains("Quota mensuel par organisation", page);
        Assert.Matches("12(\u00a0|&#xA0;|&nbsp;)h", page);
        Assert.DoesNotContain("quota-history", page);

        using var alice = _host.Client("alice");
        Assert.NotEqual(HttpStatusCode.OK, (await alice.PutAsJsonAsync("/api/place/resources/studio/quota", new { hours = 40 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await root.PutAsJsonAsync("/api/place/resources/studio/quota", new { hours = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await root.PutAsJsonAsync("/api/place/resources/nothing/quota", new { hours = 3 })).StatusCode);

        var removed = await root.PutAsJsonAsync("/api/place/resources/studio/quota", new { });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null(ResourcesKind.QuotaOf(_node.Records.Get(PlaceNode.Admin, "rooms", "studio").Data));
    }
}
