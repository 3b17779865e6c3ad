using Commons.Core.Errors;
using Commons.Core.Federation;

namespace Commons.Federation.Http;

/// <summary>Core's <see cref="IRemoteActorKeys"/> over <see cref="RemoteActorFetcher"/>; <paramref name="ensureFederating"/> is the host's federation gate.</summary>
public sealed class RemoteActorKeys(RemoteActorFetcher actors, Action? ensureFederating = null) : IRemoteActorKeys
{
    public async Task<IReadOnlyList<string>> RsaPublicPemsAsync(string actorUri, CancellationToken ct)
    {
        ensureFederating?.Invoke();
        if (!Uri.TryCreate(actorUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw ValidationException.For("actor", "the actor's http(s) URL", ProblemCodes.InvalidParameter);
        try
        {
            var actor = await actors.FetchAsync(uri, ct);
            return actor.PublicKeys.Select(k => k.PublicKeyPem).Where(p => p.Length > 0).ToList();
        }
        catch (Exception e) when (e is FederationHttpException or HttpRequestException)
        {
            throw new OriginUnreachableException($"cannot read the actor {uri}: {e.Message}");
        }
    }
}
