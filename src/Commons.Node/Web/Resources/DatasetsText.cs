namespace Commons.Node.Web.Resources;

/// <summary>Marker for the dataset forms' strings (create, edit, grants, policy preview): DatasetsText.resx (en), .fr, .nl beside it.</summary>
public sealed class DatasetsText;
