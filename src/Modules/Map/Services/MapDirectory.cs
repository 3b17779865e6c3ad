using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Services;

/// <summary>
/// Where the map's listings are: this node's datasets of kind map.offers, and the replicas of the datasets it follows
/// (accepted subscriptions). A replica counts when its records read as offers or needs: our node does not learn the
/// kind of a followed dataset, so the shape of its records decides (Listing.Read skips any other).
/// </summary>
public sealed class MapDirectory(IDatasetStore datasets, IRecordStore records, ISubscriptionStore subscriptions, IReplicaStore replicas)
{
    private const int Page = 500;

    public IReadOnlyList<Dataset> OfferDatasets() => datasets.List().Where(d => d.Kind == OffersKind.KindName).OrderBy(d => d.Key).ToList();

    public IReadOnlyList<Dataset> ProfileDatasets() => datasets.List().Where(d => d.Kind == ProfileKind.KindName).OrderBy(d => d.Key).ToList();

    public Dataset? Find(string slug) => datasets.Find(slug);

    /// <summary>The listings of one of our datasets: ours (organisation ""), or the organisation a record names as its own.</summary>
    public IEnumerable<Listing> Ours(Dataset dataset)
    {
        foreach (var record in All(dataset.Key))
        {
            var organisation = record.Data.TryGetProperty("organisation", out var o) ? o.GetString() ?? "" : "";
            if (Listing.Read(record.Id, dataset.Slug, organisation, record.Data) is { } listing) yield return listing;
        }
    }

    /// <summary>The listings in our replicas, each from the origin node (the host of the followed dataset's actor), sourced by the origin's record URI.</summary>
    public IEnumerable<Listing> Replicated()
    {
        foreach (var subscription in subscriptions.List().Where(s => s.State == SubscriptionState.Accepted))
        {
            var origin = Uri.TryCreate(subscription.DatasetActor, UriKind.Absolute, out var actor) ? actor.Authority : subscription.DatasetActor;
            string? after = null;
            while (true)
            {
                var page = replicas.List(subscription.Id, after, Page);
                foreach (var replica in page.Where(r => !r.Deleted))
                    if (Listing.Read(replica.RecordId, replica.ObjectUri, origin, replica.Data) is { } listing) yield return listing;
                if (page.Count < Page) break;
                after = page[^1].RecordId;
            }
        }
    }

    public Record? Record(Dataset dataset, string id) => records.Get(dataset.Key, id) is { Deleted: false } r ? r : null;

    private IEnumerable<Record> All(int datasetKey)
    {
        string? cursor = null;
        do
        {
            var page = records.Query(datasetKey, new RecordQuery { Limit = 200, Cursor = cursor });
            foreach (var r in page.Items) yield return r;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
}
