using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Credit.Accounts;

/// <summary>Credit's line on the dashboard: the bills waiting for this member to accept or refuse (one line, since the newest). Local reads only.</summary>
public static class CreditNews
{
    public static IReadOnlyList<DashboardItem> For(IServiceProvider services, Caller caller)
    {
        var bills = services.GetRequiredService<CreditAccounts>().BillsToAnswer(caller);
        if (bills.Count == 0) return [];
        return
        [
            new DashboardItem(new LocalizedText(
                    $"{bills.Count} facture(s) attend(ent) votre accord",
                    $"{bills.Count} factuur/facturen wacht(en) op uw akkoord",
                    $"{bills.Count} bill(s) waiting for you to accept"),
                "/credit/bills", bills.Max(b => b.Since)),
        ];
    }
}
