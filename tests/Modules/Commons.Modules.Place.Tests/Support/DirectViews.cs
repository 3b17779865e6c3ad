using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// Another node's published views, asked in process: the owner's own <see cref="IDatasetView"/>s built for the dataset
/// an actor URL names, as that node serves them to this one's signed fetch. A place marked down answers as an
/// unreachable owner does. Cross-node tests (tests/Commons.E2E) fetch over real HTTP with real signatures.
/// </summary>
public sealed class DirectViews : IRemoteDatasetViews
{
    public const string Fetcher = "https://b.example/actor";
    private readonly Dictionary<string, (PlaceNode Owner, string Slug, IReadOnlyList<IDatasetView> Views)> _places = new();
    public HashSet<string> Down { get; } = [];

    public void Serve(string actor, PlaceNode owner, string slug, params IDatasetView[] views) => _places[actor] = (owner, slug, views);

    public Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct)
    {
        if (Down.Contains(datasetActor) || !_places.TryGetValue(datasetActor, out var place))
            throw new ConflictException($"{datasetActor} cannot be reached", ProblemCodes.OriginUnreachable);
        var request = new DatasetViewRequest(place.Owner.DatasetStore.Find(place.Slug)!, view, Fetcher, "b.example", query, place.Owner.Clock.GetUtcNow());
        var built = place.Views.Single(v => v.Name == view).Build(request) ?? throw new NotFoundException($"no view '{view}'");
        return Task.FromResult(built);
    }
}
