using Commons.Core.Federation;

namespace Commons.Node.Web.Admin;

/// <summary>The host a delivery goes to, for display (the inbox itself when it is not a URL).</summary>
public static class DeliveryHost
{
    public static string Of(DeliveryItem item) =>
        Uri.TryCreate(item.Inbox, UriKind.Absolute, out var inbox) ? inbox.Authority.ToLowerInvariant() : item.Inbox;
}
