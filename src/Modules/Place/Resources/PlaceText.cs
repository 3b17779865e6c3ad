namespace Commons.Modules.Place.Resources;

/// <summary>Marker for the place's strings: PlaceText.resx (en), PlaceText.fr.resx, PlaceText.nl.resx beside it.</summary>
public sealed class PlaceText;
