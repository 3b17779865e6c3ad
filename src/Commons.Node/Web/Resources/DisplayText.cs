namespace Commons.Node.Web.Resources;

/// <summary>Marker for how records are named and shown (titles, table, record details, display settings, recent changes): DisplayText.resx (en), .fr, .nl beside it.</summary>
public sealed class DisplayText;
