namespace Commons.Node.Web.Resources;

/// <summary>Marker for the federation pages' strings (sharing, subscriptions, dashboard additions): FederationText.resx (en), .fr, .nl beside it.</summary>
public sealed class FederationText;
