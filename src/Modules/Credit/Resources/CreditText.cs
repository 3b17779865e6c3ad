namespace Commons.Modules.Credit.Resources;

/// <summary>Marker for mutual credit's strings: CreditText.resx (en), CreditText.fr.resx, CreditText.nl.resx beside it.</summary>
public sealed class CreditText;
