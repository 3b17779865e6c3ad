using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>The kinds' rules in the write, on a real store: what a committee, a proposal and a decision may be, and what never changes.</summary>
public sealed class RuleTests
{
    [Fact]
    public async Task A_proposal_is_refused_when_it_closes_before_opening_uses_consent_with_choices_or_authorises_an_ungoverned_setting()
    {
        await using var s = await CommitteeScenario.StartAsync(2, null, GovernedSettings.CreditLimits);
        var c = s.Coordinator;
        JsonObject Proposal(Action<JsonObject> change)
        {
            var p = new JsonObject
            {
                ["title"] = new JsonObject { ["en"] = "A" }, ["opens"] = "2026-12-07T10:00:00+01:00", ["closes"] = "2026-12-07T11:00:00+01:00",
                ["quorum"] = 0.5, ["rule"] = "simple",
            };
            change(p);
            return p;
        }
        foreach (var (why, p) in new[]
        {
            ("closes first", Proposal(p => p["closes"] = "2026-12-07T09:00:00+01:00")),
            ("consent with choices", Proposal(p => { p["rule"] = "consent"; p["options"] = new JsonArray(new JsonObject { ["id"] = "a" }, new JsonObject { ["id"] = "b" }); })),
            ("an option twice", Proposal(p => p["options"] = new JsonArray(new JsonObject { ["id"] = "a" }, new JsonObject { ["id"] = "a" }))),
            ("ungoverned", Proposal(p => p["authorises"] = new JsonObject { ["setting"] = GovernedSettings.PlaceQuota, ["scope"] = "*" })),
        })
        {
            var e = Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "proposals", "x", Doc(p)));
            Assert.True(e.Code == CommitteeCodes.ProposalInvalid, $"{why}: {e.Code}");
        }
        var schema = Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "proposals", "x", Doc(Proposal(p => p["quorum"] = 1.5))));
        Assert.Equal(ProblemCodes.ValidationFailed, schema.Code);
        c.Records.Create(Admin, "proposals", "ok", Doc(Proposal(_ => { })));
    }

    [Fact]
    public async Task A_proposal_with_a_ballot_no_longer_changes_and_a_decision_keeps_its_tally_for_good()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var c = s.Coordinator;
        s.Coordinator.Propose("p1");
        var stored = JsonNode.Parse(c.RecordStore.Get(c.DatasetStore.Find("proposals")!.Key, "p1")!.Data.GetRawText())!.AsObject();
        stored["text"] = new JsonObject { ["en"] = "Clarified before anyone voted." };
        c.Records.Update(Admin, "proposals", "p1", Doc(stored), null, null);
        Assert.Equal(Core.Exchanges.ExchangeState.Accepted, (await s.VoteAsync(1, "p1", "yes")).State);
        stored["text"] = new JsonObject { ["en"] = "Changed once a member voted." };
        var data = Doc(stored);
        Assert.Equal(CommitteeCodes.ProposalLocked, Assert.ThrowsAny<CommonsException>(() => c.Records.Update(Admin, "proposals", "p1", data, null, null)).Code);
        Assert.Equal(CommitteeCodes.ProposalLocked, Assert.ThrowsAny<CommonsException>(() => c.Records.Delete(Admin, "proposals", "p1", null)).Code);

        var decision = JsonNode.Parse(s.Close("p1").GetRawText())!.AsObject();
        decision["outcome"] = "rejected";
        Assert.Equal(CommitteeCodes.DecisionFinal, Assert.ThrowsAny<CommonsException>(() => c.Records.Update(Admin, "decisions", "p1", Doc(decision), null, null)).Code);
        Assert.Equal(CommitteeCodes.DecisionFinal, Assert.ThrowsAny<CommonsException>(() => c.Records.Delete(Admin, "decisions", "p1", null)).Code);
        var followed = c.Service.FollowUp(Admin, "decisions", "p1", s.Members[1].Actor, [("2027-01-31", "first report")], "in_progress");
        Assert.Equal("in_progress", followed.GetProperty("status").GetString());
        Assert.Equal(s.Members[1].Actor, followed.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task A_decision_must_be_of_a_proposal_of_its_committee_written_by_its_closing_and_a_committee_lists_each_member_once()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var c = s.Coordinator;
        var fake = new JsonObject
        {
            ["proposal"] = "ghost", ["outcome"] = "adopted", ["decidedAt"] = "2026-12-07T10:00:00Z", ["status"] = "planned",
            ["tally"] = new JsonObject
            {
                ["proposal"] = "ghost", ["members"] = new JsonArray(), ["rule"] = "simple", ["quorum"] = "0", ["options"] = new JsonArray(),
                ["counts"] = new JsonObject(), ["outcome"] = "adopted", ["ballots"] = new JsonArray(), ["proof"] = new JsonObject(),
            },
        };
        Assert.Equal(CommitteeCodes.DecisionInvalid, Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "decisions", "ghost", Doc(fake))).Code);
        s.Coordinator.Propose("real");
        fake["proposal"] = "real";
        fake["tally"]!["proposal"] = "real";
        var handWritten = Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "decisions", "real", Doc(fake)));
        Assert.Equal(CommitteeCodes.DecisionInvalid, handWritten.Code);
        Assert.Contains("closing writes its decision", handWritten.Detail);
        var twice = new JsonObject
        {
            ["name"] = new JsonObject { ["en"] = "Twice" }, ["proposals"] = "p2", ["decisions"] = "d2",
            ["members"] = new JsonArray(new JsonObject { ["actor"] = "https://a.example/actor" }, new JsonObject { ["actor"] = "https://a.example/actor" }),
        };
        Assert.Equal(CommitteeCodes.CommitteeInvalid, Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "committee", "twice", Doc(twice))).Code);
        twice["members"] = new JsonArray(new JsonObject { ["actor"] = "https://a.example/actor" });
        twice["proposals"] = "proposals";
        Assert.Equal(CommitteeCodes.CommitteeInvalid, Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "committee", "twice", Doc(twice))).Code);
        c.CreateDataset("loose", ProposalsKind.KindName);
        var loose = new JsonObject { ["title"] = new JsonObject { ["en"] = "A" }, ["opens"] = "2026-12-07T10:00:00Z", ["closes"] = "2026-12-07T11:00:00Z", ["quorum"] = 0, ["rule"] = "simple" };
        Assert.Equal(CommitteeCodes.CommitteeUnknown, Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "loose", "a", Doc(loose))).Code);
    }
}
