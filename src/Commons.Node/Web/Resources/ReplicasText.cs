namespace Commons.Node.Web.Resources;

/// <summary>Marker for the strings of followed datasets' records (their table, each record's page): ReplicasText.resx (en), .fr, .nl beside it.</summary>
public sealed class ReplicasText;
