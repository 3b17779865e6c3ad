namespace Commons.Modules.Map.Resources;

/// <summary>Marker for the directory's and drawings' strings: NetworkText.resx (en), NetworkText.fr.resx, NetworkText.nl.resx beside it.</summary>
public sealed class NetworkText;
