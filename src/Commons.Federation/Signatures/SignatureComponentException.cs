namespace Commons.Federation.Signatures;

/// <summary>A covered component cannot be produced from the message (absent header, no target URI, ...).</summary>
public sealed class SignatureComponentException(string message) : Exception(message);
