namespace Commons.Node.Web.Resources;

/// <summary>Marker for the record pages' strings: RecordsText.resx (en), RecordsText.fr.resx, RecordsText.nl.resx beside it.</summary>
public sealed class RecordsText;
