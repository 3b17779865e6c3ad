using Commons.Core.Errors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;

namespace Commons.Federation.Exchanges;

/// <summary>
/// Finds a remote dataset's actor from what a member typed: a handle (<c>rooms@host</c>) or the actor's URL. Every
/// failure is the target's fault, a validation error at <paramref name="field"/>; an actor that is not a Commons dataset
/// is refused with <see cref="ProblemCodes.NotADataset"/>.
/// </summary>
public sealed class RemoteDatasetLookup(RemoteActorFetcher actors, WebFingerClient webFinger, ActivityUris uris)
{
    public async Task<RemoteActor> FindAsync(string? target, string field, CancellationToken ct)
    {
        target = (target ?? "").Trim();
        Uri actorUri;
        if (Uri.TryCreate(target, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") actorUri = u;
        else if (AccountHandle.TryParse(target, out _))
        {
            // "cannot find": the handle names no one; "cannot fetch": the address does not answer as an actor (pages say which).
            try { actorUri = await webFinger.ResolveActorAsync(target, ct); }
            catch (Exception e) when (e is WebFingerException or FederationHttpException or HttpRequestException)
            {
                throw ValidationException.For(field, $"cannot find {target}: {e.Message}");
            }
        }
        else throw ValidationException.For(field, "a dataset handle such as rooms@commons.example.org, or its URL");

        if (uris.IsOurs(actorUri.ToString())) throw ValidationException.For(field, "that dataset is on this node");
        RemoteActor actor;
        try { actor = await actors.FetchAsync(actorUri, ct); }
        catch (Exception e) when (e is RemoteActorException or FederationHttpException or HttpRequestException)
        {
            throw ValidationException.For(field, $"cannot fetch {actorUri}: {e.Message}");
        }
        if (DatasetActorRecognition.WhyNot(actor.Document) is { } notADataset) throw ValidationException.For(field, notADataset, ProblemCodes.NotADataset);
        return actor;
    }
}
