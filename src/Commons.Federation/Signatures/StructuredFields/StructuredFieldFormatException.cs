namespace Commons.Federation.Signatures.StructuredFields;

/// <summary>A structured field value does not follow RFC 8941.</summary>
public sealed class StructuredFieldFormatException(string message) : FormatException(message);
