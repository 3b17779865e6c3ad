using Commons.Core.Datasets;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// The place's datasets on this node. A node may keep its resources in several datasets (one per building); bookings
/// go to the oldest dataset of kind place.bookings, so a steward who splits bookings later keeps one place to look.
/// </summary>
public sealed class PlaceDirectory(IDatasetStore datasets)
{
    public IReadOnlyList<Dataset> ResourceDatasets() =>
        datasets.List().Where(d => d.Kind == ResourcesKind.KindName).OrderBy(d => d.Key).ToList();

    public Dataset? Bookings() => datasets.List().Where(d => d.Kind == BookingsKind.KindName).MinBy(d => d.Key);

    public Dataset? Find(string slug) => datasets.Find(slug);
}
