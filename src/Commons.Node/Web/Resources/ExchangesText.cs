namespace Commons.Node.Web.Resources;

/// <summary>Marker for the exchange pages' strings (requests between nodes): ExchangesText.resx (en), .fr, .nl beside it.</summary>
public sealed class ExchangesText;
