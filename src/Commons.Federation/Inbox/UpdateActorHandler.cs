using System.Text.Json;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;
using Commons.Federation.Http;
using Commons.Federation.Replication;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Update{actor}</c>: an actor sends itself anew (new title, policy or keys). The HTTP signature already proved the
/// sender is that actor; a proof, when the activity carries one (every Commons dataset and node signs its Updates),
/// must verify too. The embedded actor then replaces the cached copy — keys included, so the next signature by a
/// rotated key verifies without a fetch — and a subscription to it shows its new name.
/// </summary>
public sealed class UpdateActorHandler(RemoteActorFetcher actors, ProofVerifier proofs, SubscriptionManager subscriptions) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } =
        [.. new[] { "Service", "Organization", "Application", "Group", "Person" }.Select(type => new ActivityKey("Update", type))];

    /// <summary>Whether the object of this Update is the actor that sent it (embedded, not just named).</summary>
    public static bool IsOwnActor(InboxActivity activity) =>
        activity.Object.ValueKind == JsonValueKind.Object && AsJson.Id(activity.Object) == activity.ActorUri;

    public async Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        if (!IsOwnActor(activity)) return "ignored: not an Update of the sending actor";
        if (activity.Json.TryGetProperty("proof", out _))
        {
            var proof = await proofs.VerifyAsync(ProofVerifier.AsObject(activity.Json)!, activity.ActorUri, ct);
            if (!proof.IsValid) return $"refused: the activity's proof: {proof.Failure}";
        }
        RemoteActor actor;
        try { actor = actors.Replace(new Uri(activity.ActorUri), activity.Object); }
        catch (RemoteActorException e) { return $"refused: {e.Message}"; }
        return subscriptions.OnActorUpdated(actor);
    }
}
