using System.Globalization;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Federation;

/// <summary>Localised words of federation: why a follower lost its access, how a subscription is named.</summary>
public static class FederationLabels
{
    /// <summary>A revocation's reason (one of <see cref="RevocationReasons"/>) in the page's language; an unknown one as stored.</summary>
    public static string Reason(this IStringLocalizer<FederationText> t, string reason) => reason switch
    {
        RevocationReasons.RemovedByASteward => t["Reason_RemovedByASteward"],
        RevocationReasons.DatasetBecamePrivate => t["Reason_DatasetBecamePrivate"],
        RevocationReasons.PolicyChangedToApproval => t["Reason_PolicyChangedToApproval"],
        RevocationReasons.NotOnTheAllowList => t["Reason_NotOnTheAllowList"],
        _ => reason,
    };

    /// <summary>What a subscription is called on our pages: the origin's name in the page's language (its
    /// <c>nameMap</c>), else its name, else its handle, else its actor URL.</summary>
    public static string NameOf(Subscription s) => InPageLanguage(s.NameMap) ?? s.Name ?? s.Handle ?? s.DatasetActor;

    private static string? InPageLanguage(LocalizedText? text) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName switch
    {
        "fr" => text?.Fr,
        "nl" => text?.Nl,
        _ => text?.En,
    };

    /// <summary>The followed dataset's description in the page's language (its <c>summaryMap</c>), else as its origin wrote it; null when none.</summary>
    public static string? DescriptionOf(Subscription s) => InPageLanguage(s.DescriptionMap) ?? s.Description;

    /// <summary>The other node a followed dataset lives on, as people know it: its host (and port).</summary>
    public static string HostOf(Subscription s) => Uri.TryCreate(s.DatasetActor, UriKind.Absolute, out var u) ? u.Authority : s.DatasetActor;

    /// <summary>The owner withdrew access (a removal after acceptance), as <c>SubscriptionManager</c> records it.</summary>
    public static bool WithdrawnByOwner(Subscription s) => s.State == SubscriptionState.Ended && s.Reason == "removed by the owner";
}
