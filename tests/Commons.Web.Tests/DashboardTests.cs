using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Federation;

namespace Commons.Web.Tests;

/// <summary>The dashboard's federation parts: pending follow requests, deliveries in trouble, recent changes from peers.</summary>
public sealed class DashboardTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task A_steward_sees_the_pending_requests_of_the_datasets_they_steward_only()
    {
        var steward = _node.CreateMember();
        var mine = _node.CreateDataset(SharingPolicy.Approval, "Mine to answer", (steward, GrantRole.Steward));
        var notMine = _node.CreateDataset(SharingPolicy.Approval, "Someone else's");
        var asking = _node.AddFollower(mine, "asking.example", FollowerState.Pending);
        var elsewhere = _node.AddFollower(notMine, "elsewhere.example", FollowerState.Pending);
        _node.AddFollower(mine, "already.example", FollowerState.Accepted);

        using var browser = _node.Browser();
        await browser.SignInAsync(steward, UiNode.MemberPassword);
        var (response, html) = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Pages.Rows(html, "pending-follows", "data-actor");
        Assert.Equal([asking.ActorUri], rows.Keys);
        Assert.Contains("Mine to answer", rows[asking.ActorUri]);
        Assert.Contains($"href=\"/datasets/{mine}/sharing\"", rows[asking.ActorUri]);
        Assert.DoesNotContain(elsewhere.ActorUri, html);
        Assert.False(Pages.Has(html, "deliveries-trouble")); // not an administrator

        using var viewer = _node.Browser();
        await viewer.SignInAsync(_node.CreateMember(), UiNode.MemberPassword);
        var (_, plain) = await viewer.GetAsync("/");
        Assert.False(Pages.Has(plain, "pending-follows"));
    }

    [Fact]
    public async Task An_administrator_sees_failing_and_given_up_deliveries_with_a_link_to_them()
    {
        var later = DateTimeOffset.UtcNow.AddHours(6); // not due while the test runs
        DeliveryItem Item(int attempts, string? error, bool dead) => new()
        {
            Id = Guid.NewGuid().ToString("N"), Inbox = "https://down.invalid/inbox", Sender = "_node", ActivityJson = "{}", ActivityType = "Create",
            Attempts = attempts, CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = later, LastError = error, Dead = dead,
        };
        var queue = _node.Service<IDeliveryQueue>();
        queue.Enqueue([Item(3, "connection refused", false), Item(1, "503", false), Item(0, null, false), Item(12, "gone", true)]);

        using var browser = _node.Browser();
        await browser.SignInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/");

        Assert.True(Pages.Has(html, "deliveries-trouble"));
        Assert.Contains("<li id=\"failing-deliveries\">2 failing, still being retried</li>", html);
        Assert.Contains("<li id=\"dead-deliveries\">1 given up</li>", html);
        Assert.Contains("href=\"/admin/deliveries\"", html);
    }

    [Fact]
    public async Task Recent_changes_received_from_peers_come_newest_first_with_deletions()
    {
        var s = _node.AddSubscription("Peer offers", SubscriptionState.Accepted);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(1); // newer than anything else this node holds
        _node.AddReplicas(s, 3, i => $$"""{"n":{{i}}}""", receivedFrom: t0);
        _node.Service<IReplicaStore>().ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = s.Id, RecordId = "r000", ObjectUri = $"{s.DatasetActor}/records/r000", Revision = 2, Deleted = true, ReceivedAt = t0.AddMinutes(1),
        });
        using var browser = _node.Browser();
        await browser.SignInAsync(_node.CreateMember(), UiNode.MemberPassword);

        var (_, html) = await browser.GetAsync("/");

        var rows = Pages.Rows(html, "recent-changes", "data-subscription");
        Assert.Contains(s.Id, rows.Keys);
        var table = html[html.IndexOf("id=\"recent-changes\"", StringComparison.Ordinal)..];
        var order = System.Text.RegularExpressions.Regex.Matches(table[..table.IndexOf("</table>", StringComparison.Ordinal)], "data-record=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Take(3).ToList();
        Assert.Equal(["r000", "r002", "r001"], order);
        Assert.Contains(">deleted<", table[..table.IndexOf("r002", StringComparison.Ordinal)]);
        Assert.Contains($"href=\"/subscriptions/{s.Id}\"", rows[s.Id]);
        Assert.Contains("Peer offers", rows[s.Id]);
    }
}
