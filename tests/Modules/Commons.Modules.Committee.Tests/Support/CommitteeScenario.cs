using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests.Support;

/// <summary>
/// A coordinating node and its member nodes on one test network, one shared clock: the coordinator "n0" is a member
/// too, and every member has weight 1 unless said otherwise. Proposals open at <see cref="CommitteeNode.Start"/> and
/// close an hour later.
/// </summary>
public sealed class CommitteeScenario : IAsyncDisposable
{
    public CommitteeNetwork Network { get; }
    public SetClock Clock { get; } = new(Start);
    public CommitteeNode Coordinator { get; }
    public IReadOnlyList<CommitteeNode> Members { get; }
    public string ProposalsActor => Network.DatasetActor(Coordinator.Name, "proposals");
    public string DecisionsActor => Network.DatasetActor(Coordinator.Name, "decisions");

    private CommitteeScenario(CommitteeNetwork network, int members, decimal[]? weights, string[] governs)
    {
        Network = network;
        var nodes = Enumerable.Range(0, members).Select(i => new CommitteeNode(network, $"n{i}", Clock)).ToList();
        Members = nodes;
        Coordinator = nodes[0];
        Coordinator.Coordinate(nodes.Select((n, i) => (n.Actor, weights?[i] ?? 1m)), governs);
    }

    public static async Task<CommitteeScenario> StartAsync(int members, decimal[]? weights = null, params string[] governs) =>
        new(await CommitteeNetwork.StartAsync(), members, weights, governs);

    /// <summary>Member <paramref name="i"/> casts its organisation's ballot; the exchange with the coordinator's answer.</summary>
    public Task<Exchange> VoteAsync(int i, string proposal, string option, string? reason = null) =>
        Members[i].Service.VoteAsync(Admin, ProposalsActor, proposal, option, reason, CancellationToken.None);

    /// <summary>Members from <paramref name="from"/> vote in turn: <paramref name="yes"/> yes, then no, then abstain; every ballot accepted.</summary>
    public async Task VoteManyAsync(string proposal, int yes, int no, int abstain, int from = 0)
    {
        var options = Enumerable.Repeat("yes", yes).Concat(Enumerable.Repeat("no", no)).Concat(Enumerable.Repeat("abstain", abstain)).ToList();
        await Task.WhenAll(options.Select(async (o, k) =>
        {
            var sent = await VoteAsync(from + k, proposal, o);
            Assert.True(sent.State == ExchangeState.Accepted, $"n{from + k}: {sent.Code} {sent.Detail}");
        }));
    }

    /// <summary>Moves past the closing time and closes as the coordinator's steward.</summary>
    public JsonElement Close(string proposal)
    {
        var closes = Coordinator.ModuleStore.Read(CommitteeBook.Module, d => new CommitteeBook(d).Proposal("proposals", proposal))!.Closes;
        if (Clock.GetUtcNow() < closes) Clock.Advance(closes - Clock.GetUtcNow());
        return Coordinator.Service.Close(Admin, "proposals", proposal);
    }

    public async ValueTask DisposeAsync() => await Network.DisposeAsync();
}
