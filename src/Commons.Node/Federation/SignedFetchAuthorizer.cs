using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Microsoft.Extensions.Options;

namespace Commons.Node.Federation;

/// <summary>
/// Authorized fetch: everything of a non-public dataset but its actor document needs a GET signed by an accepted
/// follower. Anyone else learns nothing, not even that the thing exists (404).
/// </summary>
public sealed class SignedFetchAuthorizer(RemoteActorFetcher actors, IFollowerStore followers, TimeProvider clock, IOptions<Hosting.NodeOptions> options, IConfiguration configuration)
{
    public async Task<bool> MayReadAsync(HttpContext http, Dataset dataset)
    {
        if (dataset.Policy == SharingPolicy.Public) return true;
        if (dataset.Policy == SharingPolicy.Private) return false;
        var owner = await SignerAsync(http);
        return owner is not null && followers.Find(dataset.Slug, owner) is { State: FollowerState.Accepted };
    }

    /// <summary>
    /// <see cref="MayReadAsync"/> and who asks: the verified signer, also of a public dataset's fetch (null when unsigned
    /// or when the signature does not verify: a public dataset is read as by anyone then).
    /// </summary>
    public async Task<(bool MayRead, string? Signer)> AdmitAsync(HttpContext http, Dataset dataset)
    {
        if (dataset.Policy == SharingPolicy.Private) return (false, null);
        var signer = await SignerAsync(http);
        if (dataset.Policy == SharingPolicy.Public) return (true, signer);
        return (signer is not null && followers.Find(dataset.Slug, signer) is { State: FollowerState.Accepted }, signer);
    }

    /// <summary>The actor that signed this GET, or null when it is unsigned or does not verify.</summary>
    public async Task<string?> SignerAsync(HttpContext http)
    {
        if (!http.Request.Headers.ContainsKey("Signature") && !http.Request.Headers.ContainsKey("Signature-Input")) return null;
        Uri? owner = null;
        var verifier = new HttpSignatureVerifier(async (keyId, ct) =>
        {
            var resolved = await actors.ResolveKeyOrNullAsync(keyId, ct);
            owner = resolved?.Owner;
            return resolved?.Key;
        }, clock);
        var scheme = new Uri(FederationServices.PublicUrl(options.Value, configuration)).Scheme;
        var result = await verifier.VerifyAsync(AspNetSignableRequest.From(http.Request, null, scheme), http.RequestAborted);
        return result.IsValid ? owner?.ToString() : null;
    }
}
