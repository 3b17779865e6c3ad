namespace Commons.Node.Web.Resources;

/// <summary>Marker for the interface's strings: Ui.resx (en), Ui.fr.resx, Ui.nl.resx beside it.</summary>
public sealed class Ui;
