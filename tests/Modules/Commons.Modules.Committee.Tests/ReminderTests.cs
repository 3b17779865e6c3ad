using Commons.Modules.Committee.Services;
using Commons.Modules.Committee.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>The dashboard's reminders: an adopted decision's passed due date while planned or in progress, on the coordinator and on a member's replica; none once done.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task A_passed_due_date_of_a_decision_in_progress_is_a_reminder_until_it_is_done()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        var c = s.Coordinator;
        s.Coordinator.Propose("p1");
        await s.VoteManyAsync("p1", 3, 0, 0);
        s.Close("p1");
        c.Service.FollowUp(Admin, "decisions", "p1", s.Members[1].Actor, [("2026-12-06", "first report"), ("2027-03-01", "second report")], "in_progress");

        var item = Assert.Single(Reminders(c));
        Assert.Equal("/datasets/decisions/records/p1", item.Path);
        Assert.Equal("Échéance dépassée le 6 décembre 2026\u00a0: Proposition p1", item.Text.Fr);
        Assert.StartsWith("Due date passed on 6 December 2026: Proposal p1", item.Text.En);

        var member = s.Members[2];
        member.Replicate(s.DecisionsActor, "p1", c.Finder.Find("p1")!.Data);
        Assert.StartsWith("/subscriptions/", Assert.Single(Reminders(member)).Path);

        c.Service.FollowUp(Admin, "decisions", "p1", null, null, "done");
        Assert.Empty(Reminders(c));
        Assert.Empty(new CommitteeModule().DashboardItems(new ServiceCollection().AddSingleton(new CommitteeReminders(c.Finder, c.Datasets, c.Clock)).BuildServiceProvider(), Admin));
    }

    private static IReadOnlyList<Platform.DashboardItem> Reminders(CommitteeNode node) =>
        new CommitteeModule().DashboardItems(new ServiceCollection().AddSingleton(new CommitteeReminders(node.Finder, node.Datasets, node.Clock)).BuildServiceProvider(), Admin);
}
