using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Credit.Views;

namespace Commons.Modules.Credit.Services;

/// <summary>Joining a group defined on another node: its terms fetched from the coordinating node's group view, signed by this node.</summary>
public sealed class CreditGroups(IRemoteDatasetViews views, CreditService credit)
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
    }
}
