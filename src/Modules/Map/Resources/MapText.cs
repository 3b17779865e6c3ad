namespace Commons.Modules.Map.Resources;

/// <summary>Marker for the map's strings: MapText.resx (en), MapText.fr.resx, MapText.nl.resx beside it.</summary>
public sealed class MapText;
