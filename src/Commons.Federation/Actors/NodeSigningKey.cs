using System.Security.Cryptography;
using Commons.Core.Federation;

namespace Commons.Federation.Actors;

/// <summary>Core's <see cref="INodeSigningKey"/> over the keyring: the node actor's current RSA key pair.</summary>
public sealed class NodeSigningKey(ActorKeyring keyring) : INodeSigningKey
{
    public RSA OpenRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(keyring.For(ActorKeyring.NodeActor).Keys.RsaPrivatePkcs8, out _);
        return rsa;
    }

    public string RsaPublicPem => keyring.For(ActorKeyring.NodeActor).RsaPublicPem;
}
