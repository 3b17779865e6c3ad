using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services.Membership;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// Joining a group by its coordinating node's address, and what the join keeps in step afterwards: the ledger shared
/// <c>peers</c> with the other members only, their ledgers followed, members down or not joined yet caught up at a later
/// pass, a member removed from the group losing access and no longer followed.
/// </summary>
public sealed class MembershipJoinTests : IDisposable
{
    private readonly MembershipNetwork _net = new();

    public void Dispose() => _net.Dispose();

    private static IReadOnlyList<string> Allowed(MemberNode n) => n.Ledger.AllowedPeers.Order().ToList();

    private async Task JoinAllAsync()
    {
        foreach (var (n, address) in new[] { (_net.A, "groups@a.example"), (_net.B, "groups@a.example"), (_net.C, MembershipNetwork.GroupsA) })
            if (n.State is null) await n.Membership.JoinAsync(Admin, address, "sel", default);
        foreach (var n in _net.Nodes.Values) await n.Membership.RefreshAllAsync(default);
    }

    [Fact]
    public async Task The_offer_shows_the_terms_before_anything_is_stored()
    {
        var offer = await _net.C.Membership.OfferAsync(Admin, "groups@a.example", null, default);
        Assert.Equal(("sel", MembershipNetwork.GroupsA, "https://c.example/actor", "ledger", false), (offer.Group, offer.GroupDataset, offer.Account, offer.LedgerSlug, offer.LedgerExists));
        Assert.Equal(("ŧ", 2, -50m, 50m, 3), (offer.Terms.Symbol, offer.Terms.Precision, offer.Own.Lowest, offer.Own.Highest, offer.Terms.Members.Count));
        Assert.Equal("Zinne", offer.UnitName.Fr);
        Assert.Null(_net.C.Node.DatasetStore.Find("ledger"));
        Assert.Empty(_net.C.Membership.List(Admin));
    }

    [Fact]
    public async Task Joining_creates_the_listed_ledger_binds_it_shares_it_peers_with_the_other_members_and_follows_theirs()
    {
        var joined = await _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        Assert.Equal(("ledger", "sel", MembershipNetwork.GroupsA), (joined.Ledger, joined.Group, joined.GroupDataset));
        Assert.Equal(new LedgerBinding("sel", "https://b.example/actor"), _net.B.Node.Ledgers!.Read(b => b.Binding("ledger")));
        Assert.Equal(SharingPolicy.Peers, _net.B.Ledger.Policy);
        Assert.Equal(["a.example", "c.example"], Allowed(_net.B));
        // A and C have not joined yet: their ledgers do not exist or do not admit B, so B's follows wait for a later pass.
        Assert.Empty(_net.B.Follows.Accepted);
        Assert.NotNull(joined.Problem);

        await JoinAllAsync();
        foreach (var n in _net.Nodes.Values)
        {
            Assert.Equal(_net.Nodes.Keys.Where(h => h != n.Host).Order().ToList(), n.Follows.Accepted);
            Assert.Equal(_net.Nodes.Keys.Where(h => h != n.Host).Select(h => $"{h}.example").Order().ToList(), Allowed(n));
            Assert.Null(n.State!.Problem);
        }
        Assert.Null(_net.A.State!.GroupDataset);

        // Idempotent: another pass changes nothing (no new dataset version, the same follows).
        var version = _net.B.Ledger.Version;
        var follows = _net.B.Follows.Subscriptions.Values.Select(s => s.Id).Order().ToList();
        await _net.B.Membership.RefreshAllAsync(default);
        Assert.Equal(version, _net.B.Ledger.Version);
        Assert.Equal(follows, _net.B.Follows.Subscriptions.Values.Select(s => s.Id).Order().ToList());
    }

    [Fact]
    public async Task Hosts_an_administrator_added_to_the_ledger_stay_shared()
    {
        _net.B.Node.CreateDataset("ledger", LedgerKind.KindName);
        _net.B.Node.Datasets.Update(Admin, "ledger", new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = ["auditor.example"] });
        await _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        Assert.Equal(["a.example", "auditor.example", "c.example"], Allowed(_net.B));
    }

    [Fact]
    public async Task Refusals_name_their_code_and_store_nothing()
    {
        var z = _net.Outsider("z");
        var notListed = await Assert.ThrowsAsync<RuleViolationException>(() => z.Membership.JoinAsync(Admin, "groups@a.example", null, default));
        Assert.Equal(CreditCodes.NotListed, notListed.Code);
        Assert.Null(z.Node.DatasetStore.Find("ledger"));

        _net.Down.Add("a");
        Assert.Equal(ProblemCodes.OriginUnreachable, (await Assert.ThrowsAsync<OriginUnreachableException>(() => _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default))).Code);
        _net.Down.Clear();

        await _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        Assert.Equal(CreditCodes.AlreadyJoined, (await Assert.ThrowsAsync<ConflictException>(() => _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default))).Code);
        await Assert.ThrowsAsync<ForbiddenException>(() => _net.C.Membership.JoinAsync(new Core.Access.Caller("alice", Core.Members.MemberRole.Member, AllScopes), "groups@a.example", null, default));

        _net.ChangeGroup(g =>
        {
            g["members"]!.AsArray()[2]!["ledger"] = "https://elsewhere.example/datasets/ledger";
            return g;
        });
        Assert.Equal(CreditCodes.LedgerNotHere, (await Assert.ThrowsAsync<RuleViolationException>(() => _net.C.Membership.OfferAsync(Admin, "groups@a.example", null, default))).Code);
        Assert.Equal(CreditCodes.NotListed, (await Assert.ThrowsAsync<RuleViolationException>(() => _net.C.Membership.OfferAsync(Admin, "groups@a.example", "other", default))).Code);
    }

    [Fact]
    public async Task A_member_down_at_the_join_is_followed_at_a_later_pass()
    {
        await _net.A.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        await _net.C.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        _net.Down.Add("c");
        var joined = await _net.B.Membership.JoinAsync(Admin, "groups@a.example", null, default);
        Assert.Equal(ProblemCodes.OriginUnreachable, joined.Problem);
        Assert.Null(_net.B.Follows.Find(_net.C.LedgerActor));

        _net.Down.Clear();
        foreach (var n in _net.Nodes.Values) await n.Membership.RefreshAllAsync(default);
        Assert.Equal(["a", "c"], _net.B.Follows.Accepted);
        Assert.Null(_net.B.State!.Problem);
    }

    [Fact]
    public async Task A_member_removed_from_the_group_loses_access_and_is_no_longer_followed()
    {
        await JoinAllAsync();
        _net.ChangeGroup(g =>
        {
            g["members"]!.AsArray().RemoveAt(2);
            return g;
        });
        foreach (var n in _net.Nodes.Values) await n.Membership.RefreshAllAsync(default);

        Assert.Equal(["a.example"], Allowed(_net.B));
        Assert.Equal(["b.example"], Allowed(_net.A));
        Assert.Equal(["a"], _net.B.Follows.Accepted);
        Assert.Null(_net.B.Follows.Find(_net.C.LedgerActor));
        Assert.Equal(FollowDecision.Reject, FollowPolicy.Decide(_net.B.Ledger, "c.example"));
        Assert.Null(_net.B.Node.Ledgers!.Joined("ledger").Group.Member(_net.C.Actor));

        // C is told nothing more by the coordinating node: nothing of C stays shared with or followed from the group.
        Assert.Equal(MembershipState.NotListed, _net.C.State!.Problem);
        Assert.Empty(Allowed(_net.C));
        Assert.Empty(_net.C.Follows.Subscriptions);
    }
}
