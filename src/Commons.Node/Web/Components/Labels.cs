using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Components;

/// <summary>Localised names of the core's enumerations.</summary>
public static class Labels
{
    public static string Of(this IStringLocalizer<Ui> l, SharingPolicy p) => l[$"Policy_{p}"];
    public static string Of(this IStringLocalizer<Ui> l, AccessLevel a) => l[$"Access_{a}"];
    public static string Of(this IStringLocalizer<Ui> l, SubscriptionState s) => l[$"Subscription_{s}"];

    /// <summary>A dataset's title in the page's language, falling back to another.</summary>
    public static string TitleOf(Dataset d) => d.Title.In(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? d.Slug;
}
