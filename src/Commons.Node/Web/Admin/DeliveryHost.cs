using Commons.Core.Federation;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Admin;

/// <summary>A delivery as the admin pages show it: the host it goes to and what it carries, in words.</summary>
public static class DeliveryHost
{
    /// <summary>The host a delivery goes to (the inbox itself when it is not a URL).</summary>
    public static string Of(DeliveryItem item) =>
        Uri.TryCreate(item.Inbox, UriKind.Absolute, out var inbox) ? inbox.Authority.ToLowerInvariant() : item.Inbox;

    /// <summary>What a delivery carries in the reader's words (a new record, a refusal…); an activity type the pages do not know is shown as it is.</summary>
    public static string What(DeliveryItem item, IStringLocalizer<AdminText> text) =>
        item.ActivityType is { } type && text[$"Activity_{type}"] is { ResourceNotFound: false } words ? words.Value : item.ActivityType ?? "?";
}
