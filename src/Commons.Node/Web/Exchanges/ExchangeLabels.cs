using Commons.Core.Exchanges;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Exchanges;

/// <summary>The words the exchange pages use for states, directions and the codes they know.</summary>
public static class ExchangeLabels
{
    public static string Of(this IStringLocalizer<ExchangesText> t, ExchangeState state) => t[$"State_{state}"];

    public static string Of(this IStringLocalizer<ExchangesText> t, ExchangeDirection direction) => t[$"Direction_{direction}"];

    /// <summary>A refusal code in words when the pages know it (the platform's own codes); otherwise null, and the code alone is shown.</summary>
    public static string? CodeText(this IStringLocalizer<ExchangesText> t, string? code) =>
        code is not null && t[$"Code_{code}"] is { ResourceNotFound: false } known ? known.Value : null;

    /// <summary>The other side of the exchange: the dataset asked (outgoing) or the node that asked (incoming).</summary>
    public static string Peer(Exchange e) => e.Direction == ExchangeDirection.Outgoing ? e.TargetActor : e.RequesterActor;

    /// <summary>The other node as members know it: the address of <see cref="Peer"/> without its path.</summary>
    public static string PeerHost(Exchange e) => HostOf(Peer(e));

    public static string HostOf(string actor) => Uri.TryCreate(actor, UriKind.Absolute, out var u) ? u.Authority : actor;
}
