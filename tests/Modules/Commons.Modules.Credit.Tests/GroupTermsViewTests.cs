using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Tests.Support;
using Commons.Modules.Credit.Views;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>A member node joins a group defined on the coordinating node from its terms view; a non-member learns nothing.</summary>
public sealed class GroupTermsViewTests
{
    /// <summary>The coordinating node's view, fetched as the named node (the federation's signed fetch is the views engineer's, tested there).</summary>
    private sealed class CoordinatorViews(CreditNode coordinator, string fetcher) : IRemoteDatasetViews
    {
        public Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct)
        {
            var built = new GroupTermsView(coordinator.RecordStore).Build(new DatasetViewRequest(coordinator.DatasetStore.Find("groups")!, view, fetcher,
                new Uri(fetcher).Authority, query, Start));
            return built is { } json ? Task.FromResult(json) : throw new NotFoundException("no such view");
        }
    }

    [Fact]
    public void The_view_shows_the_terms_to_a_member_and_nothing_to_anyone_else()
    {
        using var net = new CreditPair();
        var groups = net.NodeA.DatasetStore.Find("groups")!;
        var view = new GroupTermsView(net.NodeA.RecordStore);
        var shown = view.Build(new DatasetViewRequest(groups, "terms", B, "b.example", new Dictionary<string, string> { ["group"] = "sel" }, Start));
        Assert.Equal("ŧ", shown!.Value.GetProperty("terms").GetProperty("unit").GetProperty("symbol").GetString());
        Assert.Null(view.Build(new DatasetViewRequest(groups, "terms", Outsider, "z.example", new Dictionary<string, string> { ["group"] = "sel" }, Start)));
        Assert.Null(view.Build(new DatasetViewRequest(groups, "terms", null, null, new Dictionary<string, string> { ["group"] = "sel" }, Start)));
        Assert.Null(view.Build(new DatasetViewRequest(groups, "terms", B, "b.example", new Dictionary<string, string> { ["group"] = "other" }, Start)));
    }

    [Fact]
    public async Task A_member_joins_with_the_fetched_terms_and_its_ledger_takes_transfers()
    {
        using var net = new CreditPair();
        using var d = new CreditNode().OnNetwork(net.Network, C, "https://c.example/datasets/ledger2");
        d.CreateDataset("ledger", LedgerKind.KindName);
        await new CreditGroups(new CoordinatorViews(net.NodeA, C), d.Credit!).JoinAsync(Admin, "ledger", "https://a.example/datasets/groups", "sel", C, default);
        Assert.Equal(new LedgerBinding("sel", C), d.Ledgers!.Read(b => b.Binding("ledger")));
        Assert.Equal(-50m, d.Ledgers.Joined("ledger").Group.Member(C)!.Lowest);

        using var outsider = new CreditNode().OnNetwork(net.Network, Outsider, "https://z.example/datasets/ledger");
        outsider.CreateDataset("ledger", LedgerKind.KindName);
        await Assert.ThrowsAsync<NotFoundException>(() =>
            new CreditGroups(new CoordinatorViews(net.NodeA, Outsider), outsider.Credit!).JoinAsync(Admin, "ledger", "https://a.example/datasets/groups", "sel", Outsider, default));
    }
}
