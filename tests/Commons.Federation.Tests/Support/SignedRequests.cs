using System.Text;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Tests.Support;

/// <summary>Keys from the vector files and helpers that sign requests the way the outgoing signer does.</summary>
internal static class SignedRequests
{
    public const string RsaKeyId = "https://remote.example/users/bob#main-key";
    public const string Ed25519KeyId = "https://remote.example/users/bob#ed25519-key";
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly SigningKey RsaKey = PemKeyImporter.ImportSigningKey(TestVectors.ReadText("rfc9421", "test-key-rsa.pem"));
    public static readonly SigningKey Ed25519Key = PemKeyImporter.ImportSigningKey(TestVectors.ReadText("rfc9421", "test-key-ed25519.pem"));

    public static HttpRequestMessage Post(string uri = "https://inbox.example/users/alice/inbox?x=1", string body = "{\"type\":\"Follow\"}")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/activity+json"),
        };
        return request;
    }

    public static SignableHttpMessage SignedPost(HttpSignatureScheme scheme, SigningKey? key = null, string keyId = RsaKeyId, string body = "{\"type\":\"Follow\"}")
    {
        var request = Post(body: body);
        HttpSignatureSigner.SignRequest(request, key ?? RsaKey, keyId, scheme, Now);
        return HttpRequestMessageAdapter.ToSignable(request);
    }

    public static SignableHttpMessage SignedGet(HttpSignatureScheme scheme, string uri = "https://inbox.example/users/alice/outbox?page=true")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        HttpSignatureSigner.SignRequest(request, RsaKey, RsaKeyId, scheme, Now);
        return HttpRequestMessageAdapter.ToSignable(request);
    }

    public static HttpSignatureVerifier Verifier(DateTimeOffset? now = null, HttpSignatureVerifierOptions? options = null) =>
        new(ResolveKnownKey, new FixedTimeProvider(now ?? Now), options);

    public static Task<VerificationKey?> ResolveKnownKey(string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(keyId switch
        {
            RsaKeyId => RsaKey.VerificationKey,
            Ed25519KeyId => Ed25519Key.VerificationKey,
            _ => null,
        });

    /// <summary>A copy of the message with a different body and otherwise identical headers.</summary>
    public static SignableHttpMessage WithBody(SignableHttpMessage message, string body) =>
        SignableHttpMessage.ForRequest(message.Method!, message.TargetUri!, message.Headers.Clone(), Encoding.UTF8.GetBytes(body));

    public static SignableHttpMessage WithHeader(SignableHttpMessage message, string name, string? value)
    {
        var headers = message.Headers.Clone();
        if (value is null)
        {
            headers.Remove(name);
        }
        else
        {
            headers.Set(name, value);
        }
        return SignableHttpMessage.ForRequest(message.Method!, message.TargetUri!, headers, message.Body);
    }
}
