using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;
using Commons.Modules.Committee.Requests;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// A committee of 1,000 member organisations: their 1,000 ballots, each signed with its own Ed25519 key and taken by
/// the module's handler, close into a decision whose tally keeps them in signed pages beside it, every record under
/// the node's record limit (256 KiB, so within the 1 MiB an inbox or a backfill response takes); the recount passes
/// on the coordinator and on a member holding replicas of the decision and its pages; one ballot altered in a page
/// makes it fail, naming that ballot (and the page); a page missing is named.
/// </summary>
public sealed class LargeTallyTests
{
    private const int Voters = 1000;

    [Fact]
    public async Task A_tally_of_1000_ballots_is_stored_in_signed_pages_and_recounted_here_and_on_a_member_naming_an_altered_ballot()
    {
        await using var network = await CommitteeNetwork.StartAsync();
        var clock = new SetClock(Start);
        using var coordinator = new CommitteeNode(network, "n0", clock);
        using var member = new CommitteeNode(network, "n1", clock);
        var voters = new[] { coordinator.Actor, member.Actor }.Concat(Enumerable.Range(2, Voters - 2).Select(i => network.NodeActor($"m{i}"))).ToList();
        coordinator.Coordinate(voters.Select(v => (v, 1m)));
        coordinator.Propose("big", rule: VotingRules.TwoThirds);
        await CastAsync(network, coordinator, voters, clock);

        clock.Advance(TimeSpan.FromHours(1));
        var decision = coordinator.Service.Close(Admin, "proposals", "big");
        Assert.Equal(Outcomes.Adopted, decision.GetProperty("outcome").GetString());
        var tally = decision.GetProperty("tally");
        Assert.False(tally.TryGetProperty("ballots", out _));
        Assert.Equal(Voters, tally.GetProperty("ballotCount").GetInt32());
        var refs = tally.GetProperty("ballotPages").EnumerateArray().ToList();
        Assert.True(refs.Count >= 4, $"{refs.Count} pages");
        Assert.Equal(Voters, refs.Sum(r => r.GetProperty("count").GetInt32()));
        var decisions = coordinator.DatasetStore.Find("decisions")!;
        var pages = refs.Select(r => coordinator.RecordStore.Get(decisions.Key, r.GetProperty("id").GetString()!)!.Data).ToList();
        foreach (var record in pages.Append(decision))
            Assert.True(Encoding.UTF8.GetByteCount(record.GetRawText()) <= 256 * 1024, $"a record of {record.GetRawText().Length} bytes");
        // The pages are no decisions: the finder, the governance and the pages never list them.
        Assert.Equal(["big"], coordinator.Finder.All().Select(d => d.Id));

        var here = await coordinator.Service.RecountAsync(Admin, "big", CancellationToken.None);
        Assert.True(here.Verified, string.Join("; ", here.Failures.Select(f => f.Detail)));
        Assert.Equal(Voters, here.Ballots);

        var decisionsActor = network.DatasetActor("n0", "decisions");
        member.Replicate(decisionsActor, "big", decision);
        foreach (var (r, page) in refs.Zip(pages)) member.Replicate(decisionsActor, r.GetProperty("id").GetString()!, page);
        var there = await member.Service.RecountAsync(Admin, "big", CancellationToken.None);
        Assert.True(there.Verified, string.Join("; ", there.Failures.Select(f => f.Detail)));

        // One ballot of the second page altered after closing.
        var altered = JsonNode.Parse(pages[1].GetRawText())!.AsObject();
        var ballot = altered["ballots"]![7]!;
        ballot["signed"]!["object"]!["commons:data"]!["reason"] = "added later";
        var voter = ballot["voter"]!.GetValue<string>();
        var place = refs[0].GetProperty("count").GetInt32() + 8;
        clock.Advance(TimeSpan.FromMinutes(1));
        member.Replicate(decisionsActor, refs[1].GetProperty("id").GetString()!, Doc(altered));
        var failed = await member.Service.RecountAsync(Admin, "big", CancellationToken.None);
        Assert.False(failed.Verified);
        Assert.Contains(failed.Failures, f => f.Ballot == place && f.Voter == voter && f.Code == "ballot_bad_signature");
        Assert.Contains(failed.Failures, f => f.Code == "ballot_page_bad_signature");
        Assert.DoesNotContain(failed.Failures, f => f.Ballot is { } n && n != place);

        // A page the member does not hold is named.
        member.Replicas.ApplyIfNewer(new Core.Federation.ReplicaRecord
        {
            SubscriptionId = SubscriptionOf(member, decisionsActor), RecordId = refs[2].GetProperty("id").GetString()!, ObjectUri = "gone",
            Revision = clock.GetUtcNow().UtcTicks + 1, Deleted = true, ReceivedAt = clock.GetUtcNow(),
        });
        Assert.Contains((await member.Service.RecountAsync(Admin, "big", CancellationToken.None)).Failures, f => f.Code == "ballot_page_missing");
    }

    private static string SubscriptionOf(CommitteeNode member, string decisionsActor) =>
        member.Subscriptions.List().Single(s => s.DatasetActor == decisionsActor).Id;

    /// <summary>Each voter's <c>committee.vote</c> request as its node signs it, taken by the coordinator's handler as the platform hands it over.</summary>
    private static async Task CastAsync(CommitteeNetwork network, CommitteeNode coordinator, IReadOnlyList<string> voters, SetClock clock)
    {
        var proposals = coordinator.DatasetStore.Find("proposals")!;
        var target = network.DatasetActor("n0", "proposals");
        var handler = coordinator.Handlers.OfType<VoteRequestHandler>().Single();
        for (var i = 0; i < voters.Count; i++)
        {
            var data = new JsonObject { ["proposal"] = "big", ["option"] = i % 10 < 8 ? "yes" : i % 10 == 8 ? "no" : "abstain" };
            if (i % 10 == 3) data["reason"] = new string('r', 300);
            var activity = TestProofs.SignAs(voters[i], network.KeyOf(voters[i]), Doc(new JsonObject
            {
                ["id"] = $"{voters[i]}#requests/{i}", ["type"] = "Offer", ["actor"] = voters[i], ["to"] = new JsonArray(target), ["target"] = target,
                ["object"] = new JsonObject { ["type"] = "commons:Request", ["commons:requestType"] = "committee.vote", ["commons:data"] = data },
            }), clock);
            var request = new IncomingRequest(proposals, activity.GetProperty("id").GetString()!, "committee.vote", voters[i], new Uri(voters[i]).Authority,
                activity.GetProperty("object").GetProperty("commons:data").Clone(), clock.GetUtcNow()) { SignedJson = activity.GetRawText() };
            var taken = await handler.DecideAsync(request, CancellationToken.None);
            Assert.True(taken.State == ExchangeState.Accepted, $"ballot {i}: {taken.Code} {taken.Detail}");
        }
    }
}
