namespace Commons.Modules.Place.Resources;

/// <summary>Marker for the usage report's strings: UsageText.resx (en), UsageText.fr.resx, UsageText.nl.resx beside it.</summary>
public sealed class UsageText;
