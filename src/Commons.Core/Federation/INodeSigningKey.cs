using System.Security.Cryptography;

namespace Commons.Core.Federation;

/// <summary>
/// The node actor's current RSA key, for what a module signs in the node's name (the employers' group's statements).
/// The same key the node signs its requests with and publishes on its actor document; created on first use.
/// </summary>
public interface INodeSigningKey
{
    /// <summary>A fresh RSA instance holding the node's current key pair; the caller disposes it. The private part never leaves the node.</summary>
    RSA OpenRsa();

    /// <summary>The public half (SPKI PEM), as the node actor publishes it.</summary>
    string RsaPublicPem { get; }
}
