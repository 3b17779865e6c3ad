namespace Commons.Node.Web.Resources;

/// <summary>Marker for the dashboard's first-run checklist strings: FirstRunText.resx (en), FirstRunText.fr.resx, FirstRunText.nl.resx beside it.</summary>
public sealed class FirstRunText;
