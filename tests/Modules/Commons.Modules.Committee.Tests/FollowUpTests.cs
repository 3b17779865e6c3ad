using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// The follow-up updated from the owner organisation's node: a signed committee.followup request to the coordinator's
/// decisions dataset, which writes the decision only for its owner, for an adopted decision and an allowed move.
/// (That the written decision reaches the other members' replicas is the platform's replication, run with real node
/// processes in tests/Commons.E2E/CommitteeNetworkTests.)
/// </summary>
public sealed class FollowUpTests
{
    private static async Task<CommitteeScenario> AdoptedAsync(string owner = "n1")
    {
        var s = await CommitteeScenario.StartAsync(4);
        s.Coordinator.Propose("p1");
        await s.VoteManyAsync("p1", 3, 0, 0);
        s.Close("p1");
        s.Coordinator.Service.FollowUp(Admin, "decisions", "p1", s.Network.NodeActor(owner), [("2027-01-31", "first report")], null);
        foreach (var m in s.Members.Skip(1)) Share(s, m, "p1");
        return s;
    }

    // The replica each member holds of the coordinator's decision, as following the decisions gives it (a later
    // revision: the replica takes only a newer one).
    private static void Share(CommitteeScenario s, CommitteeNode member, string id)
    {
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        member.Replicate(s.DecisionsActor, id, s.Coordinator.Finder.Find(id)!.Data);
    }

    private static JsonElement Decision(CommitteeScenario s, string id = "p1") => s.Coordinator.Finder.Find(id)!.Data;

    private static Task<Exchange> SendAsync(CommitteeScenario s, int member, string body) =>
        s.Members[member].Gateway.SendAsync(Admin, s.DecisionsActor, FollowUpRequestHandler.Type, JsonDocument.Parse(body).RootElement, CancellationToken.None);

    [Fact]
    public async Task The_owner_updates_status_and_due_dates_from_its_own_node_and_the_coordinator_writes_the_decision()
    {
        await using var s = await AdoptedAsync();
        var sent = await s.Members[1].FollowUps.UpdateAsync(Admin, "p1", FollowUp.InProgress, [new DueDate("2027-02-28", "second report")], CancellationToken.None);
        Assert.True(sent.State == ExchangeState.Accepted, $"{sent.Code} {sent.Detail}");
        var written = Decision(s);
        Assert.Equal("in_progress", written.GetProperty("status").GetString());
        Assert.Equal("2027-02-28", Assert.Single(written.GetProperty("due").EnumerateArray()).GetProperty("date").GetString());
        Assert.Equal("adopted", written.GetProperty("outcome").GetString());
        // The record says who wrote it: the owner's actor.
        var record = s.Coordinator.RecordStore.Get(s.Coordinator.DatasetStore.Find("decisions")!.Key, "p1")!;
        Assert.Equal(s.Members[1].Actor, record.UpdatedBy);

        Share(s, s.Members[1], "p1");
        sent = await s.Members[1].FollowUps.UpdateAsync(Admin, "p1", FollowUp.Done, null, CancellationToken.None);
        Assert.Equal(ExchangeState.Accepted, sent.State);
        Assert.Equal("done", Decision(s).GetProperty("status").GetString());
        Assert.Equal("2027-02-28", Decision(s).GetProperty("due")[0].GetProperty("date").GetString());
        Assert.Equal(2, s.Members[1].FollowUps.Sent(Admin, 10).Count);
    }

    [Fact]
    public async Task Another_member_is_refused_on_its_own_node_and_by_the_coordinator()
    {
        await using var s = await AdoptedAsync();
        var local = await Assert.ThrowsAsync<ForbiddenException>(() => s.Members[2].FollowUps.UpdateAsync(Admin, "p1", FollowUp.Done, null, CancellationToken.None));
        Assert.Equal(CommitteeCodes.NotTheOwner, local.Code);

        // Sent anyway (a node that skips its own check): the coordinator refuses it by the signer.
        var sent = await SendAsync(s, 2, """{"decision":"p1","status":"done"}""");
        Assert.Equal(ExchangeState.Refused, sent.State);
        Assert.Equal(CommitteeCodes.NotTheOwner, sent.Code);
        Assert.Equal("planned", Decision(s).GetProperty("status").GetString());
        // A member's administrator only: a plain member of the owner's node is refused.
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Members[1].FollowUps.UpdateAsync(Member, "p1", FollowUp.Done, null, CancellationToken.None));
    }

    [Fact]
    public async Task Done_and_dropped_are_final_and_a_decision_not_adopted_or_unknown_is_refused()
    {
        await using var s = await AdoptedAsync();
        Assert.Equal(ExchangeState.Accepted, (await SendAsync(s, 1, """{"decision":"p1","status":"dropped"}""")).State);
        var back = await SendAsync(s, 1, """{"decision":"p1","status":"in_progress"}""");
        Assert.Equal(CommitteeCodes.FollowUpNotAllowed, back.Code);
        Share(s, s.Members[1], "p1");
        var local = await Assert.ThrowsAsync<RuleConflictException>(() => s.Members[1].FollowUps.UpdateAsync(Admin, "p1", FollowUp.Planned, null, CancellationToken.None));
        Assert.Equal(CommitteeCodes.FollowUpNotAllowed, local.Code);
        // Only the due dates: allowed on a dropped decision (the status stays).
        Assert.Equal(ExchangeState.Accepted, (await SendAsync(s, 1, """{"decision":"p1","due":[{"date":"2027-06-30"}]}""")).State);

        var unknown = await SendAsync(s, 1, """{"decision":"ghost","status":"done"}""");
        Assert.Equal(CommitteeCodes.DecisionUnknown, unknown.Code);
        Assert.Equal(CommitteeCodes.DecisionUnknown,
            (await Assert.ThrowsAsync<NotFoundException>(() => s.Members[1].FollowUps.UpdateAsync(Admin, "ghost", FollowUp.Done, null, CancellationToken.None))).Code);

        s.Coordinator.Propose("p2", quorum: 1m);
        s.Close("p2");
        s.Coordinator.Service.FollowUp(Admin, "decisions", "p2", s.Members[1].Actor, null, null);
        Assert.Equal("no_quorum", Decision(s, "p2").GetProperty("outcome").GetString());
        Assert.Equal(CommitteeCodes.FollowUpNotAllowed, (await SendAsync(s, 1, """{"decision":"p2","status":"done"}""")).Code);
    }

    [Theory]
    [InlineData("""{"decision":"p1"}""")]
    [InlineData("""{"decision":"p1","status":"finished"}""")]
    [InlineData("""{"decision":"p1","due":[{"date":"31/01/2027"}]}""")]
    [InlineData("""{"decision":"p1","due":"2027-01-31"}""")]
    [InlineData("""{"status":"done"}""")]
    public async Task A_malformed_update_is_refused_and_changes_nothing(string body)
    {
        await using var s = await AdoptedAsync();
        var before = Decision(s).GetRawText();
        var sent = await SendAsync(s, 1, body);
        Assert.Equal(ExchangeState.Refused, sent.State);
        Assert.Equal(ProblemCodes.ValidationFailed, sent.Code);
        Assert.Equal(before, Decision(s).GetRawText());
    }

    [Fact]
    public async Task Only_status_and_due_dates_are_applied_never_the_outcome_a_request_names()
    {
        await using var s = await AdoptedAsync();
        var sent = await SendAsync(s, 1, """{"decision":"p1","status":"done","outcome":"rejected","owner":"https://elsewhere.example/actor"}""");
        Assert.Equal(ExchangeState.Accepted, sent.State);
        Assert.Equal("adopted", Decision(s).GetProperty("outcome").GetString());
        Assert.Equal(s.Members[1].Actor, Decision(s).GetProperty("owner").GetString());
    }

    [Fact]
    public async Task A_steward_on_the_coordinator_keeps_to_the_same_moves()
    {
        await using var s = await AdoptedAsync();
        s.Coordinator.Service.FollowUp(Admin, "decisions", "p1", null, null, FollowUp.Done);
        Assert.Equal(CommitteeCodes.FollowUpNotAllowed, Assert.Throws<RuleConflictException>(() =>
            s.Coordinator.Service.FollowUp(Admin, "decisions", "p1", null, null, FollowUp.InProgress)).Code);
    }
}
