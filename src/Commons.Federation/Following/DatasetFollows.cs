using Commons.Core.Access;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Exchanges;

namespace Commons.Federation.Following;

/// <summary>
/// <see cref="IDatasetFollows"/> for modules: the subscriptions service's own follow and unfollow (its checks on the
/// caller), the lookup a request's target goes through, behind the node's federation gate
/// (<paramref name="ensureFederating"/>).
/// </summary>
public sealed class DatasetFollows(SubscriptionService service, ISubscriptionStore subscriptions, RemoteDatasetLookup lookup, ActivityUris uris,
    Action? ensureFederating = null) : IDatasetFollows
{
    public string OwnDatasetActor(string slug) => uris.DatasetActor(slug);

    public async Task<string> ResolveAsync(string target, string field, CancellationToken ct)
    {
        ensureFederating?.Invoke();
        return (await lookup.FindAsync(target, field, ct)).Id.ToString();
    }

    public Task<Subscription> FollowAsync(Caller caller, string datasetActor, CancellationToken ct)
    {
        ensureFederating?.Invoke();
        return service.FollowAsync(caller, datasetActor, ct);
    }

    public bool Unfollow(Caller caller, string datasetActor)
    {
        if (subscriptions.FindByActor(datasetActor) is not { } s) return false;
        service.Unfollow(caller, s.Id);
        return true;
    }

    public Subscription? Find(string datasetActor) => subscriptions.FindByActor(datasetActor);
}
