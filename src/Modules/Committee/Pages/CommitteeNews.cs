using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Platform;

namespace Commons.Modules.Committee.Pages;

/// <summary>The dashboard's line for each open proposal the organisation has not voted on yet, leading to its page; for administrators, who cast the ballot.</summary>
internal static class CommitteeNews
{
    public static IReadOnlyList<DashboardItem> Unvoted(CommitteePages pages, Caller caller) =>
        pages.Unvoted(caller).Take(10).Select(x =>
        {
            string Title(string lang) => x.Proposal.Terms.Title.TryGetProperty(lang, out var t) && t.GetString() is { Length: > 0 } s ? s
                : CommitteeShown.Text(x.Proposal.Terms.Title, x.Proposal.Id);
            return new DashboardItem(new LocalizedText(
                $"À voter avant le {CommitteeShown.Local(x.Proposal.Terms.Closes).ToString("d MMMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("fr-BE"))}\u00A0: {Title("fr")}",
                $"Te stemmen vóór {CommitteeShown.Local(x.Proposal.Terms.Closes).ToString("d MMMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("nl-BE"))}: {Title("nl")}",
                $"To vote on before {CommitteeShown.Local(x.Proposal.Terms.Closes).ToString("d MMMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))}: {Title("en")}"),
                x.Proposal.Path, x.Proposal.Terms.Opens);
        }).ToList();
}
