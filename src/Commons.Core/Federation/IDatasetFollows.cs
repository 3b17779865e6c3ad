using Commons.Core.Access;

namespace Commons.Core.Federation;

/// <summary>
/// What a module needs of this node's follows of remote datasets (the credit module follows the other members' ledgers,
/// whose views the group audit reads): our own datasets' actor URLs, a handle resolved to a dataset actor, a follow
/// sent or undone on a caller's behalf with the same checks as the subscriptions API, and where one stands. Implemented
/// by the federation layer; a module resolves it as optional (absent: the node does not federate).
/// </summary>
public interface IDatasetFollows
{
    /// <summary>The actor URL peers know our dataset <paramref name="slug"/> by.</summary>
    string OwnDatasetActor(string slug);

    /// <summary>
    /// The dataset actor that <paramref name="target"/> (<c>slug@host</c>, <c>@slug@host</c> or a URL) names; a
    /// validation error at <paramref name="field"/> when it names none (or <c>not_a_dataset</c>).
    /// </summary>
    Task<string> ResolveAsync(string target, string field, CancellationToken ct);

    /// <summary>Follows the dataset at <paramref name="datasetActor"/>; a pending or accepted follow is kept as it is.</summary>
    Task<Subscription> FollowAsync(Caller caller, string datasetActor, CancellationToken ct);

    /// <summary>Undoes our follow of <paramref name="datasetActor"/>, if any; false when there was none.</summary>
    bool Unfollow(Caller caller, string datasetActor);

    /// <summary>Our follow of <paramref name="datasetActor"/>, whatever its state; null when there is none.</summary>
    Subscription? Find(string datasetActor);
}
