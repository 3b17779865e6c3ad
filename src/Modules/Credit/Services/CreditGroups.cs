using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Credit.Services.Membership;
using Commons.Modules.Credit.Views;

namespace Commons.Modules.Credit.Services;

/// <summary>
/// Joining a group by naming the ledger and the group: its terms fetched from the coordinating node's group view,
/// signed by this node, or the group defined on this node. Then, as every join, the membership is applied: the ledger
/// shared with the other members, their ledgers followed (<see cref="CreditMembership"/>).
/// </summary>
public sealed class CreditGroups(IRemoteDatasetViews views, CreditService credit, CreditMembership? membership = null)
{
    /// <summary>
    /// Fetches group <paramref name="group"/> from the group dataset at <paramref name="groupDataset"/> (its actor URL)
    /// and binds <paramref name="ledger"/> to it as <paramref name="account"/>; <c>not_found</c> when the coordinating
    /// node does not show this node the group (it is not a member).
    /// </summary>
    public async Task JoinAsync(Caller caller, string ledger, string groupDataset, string group, string account, CancellationToken ct)
    {
        var view = await views.FetchAsync(groupDataset, GroupTermsView.ViewName, new Dictionary<string, string> { ["group"] = group }, ct);
        if (!view.TryGetProperty("terms", out var terms) || !view.TryGetProperty("group", out var id) || id.GetString() != group)
            throw new NotFoundException($"the coordinating node shows no group '{group}'");
        credit.Join(caller, ledger, group, terms.Clone(), account);
        await ApplyAsync(ledger, group, groupDataset, account, ct);
    }

    /// <summary>Binds <paramref name="ledger"/> to the group <paramref name="group"/> defined on this node.</summary>
    public async Task JoinHereAsync(Caller caller, string ledger, string group, string account, CancellationToken ct)
    {
        credit.Join(caller, ledger, group, null, account);
        await ApplyAsync(ledger, group, null, account, ct);
    }

    private async Task ApplyAsync(string ledger, string group, string? groupDataset, string account, CancellationToken ct)
    {
        if (membership is null) return;
        membership.Adopt(ledger, group, groupDataset, account);
        await membership.ApplyAsync(ledger, ct);
    }
}
