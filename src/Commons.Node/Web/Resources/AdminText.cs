namespace Commons.Node.Web.Resources;

/// <summary>Marker for the administration pages' strings: AdminText.resx (en), AdminText.fr.resx, AdminText.nl.resx beside it.</summary>
public sealed class AdminText;
