using System.Text.Json;
using Commons.Core.Datasets;

namespace Commons.Core.Exchanges;

/// <summary>
/// A request for a kind's published view of one of our datasets, already admitted by the dataset's sharing policy (a
/// public dataset: anyone; otherwise a verified signed fetch by an accepted follower or an allowed peer; a private
/// dataset: nobody). <see cref="FetcherActor"/> is the verified signer, null for an unsigned fetch of a public dataset.
/// <see cref="Query"/> holds the URL's query parameters (at most 16, each at most 200 characters).
/// </summary>
public sealed record DatasetViewRequest(
    Dataset Dataset, string View, string? FetcherActor, string? FetcherHost, IReadOnlyDictionary<string, string> Query, DateTimeOffset Now);

/// <summary>
/// A view a kind publishes beside its records, computed by the owner at each fetch (the place's free slots, the
/// bookings a peer holds): served at <c>{dataset actor}/views/{Name}</c> as JSON. It says no more than its dataset's
/// policy allows, and may narrow further by the fetcher (a peer sees only its own bookings). Null is "not found"; a
/// <see cref="Errors.CommonsException"/> becomes problem+json with its code. Registered by modules as services.
/// </summary>
public interface IDatasetView
{
    /// <summary>The kind whose datasets publish it (<c>place.resources</c>).</summary>
    string Kind { get; }
    /// <summary>Lowercase letters, digits and dashes (<c>slots</c>); unique within the kind.</summary>
    string Name { get; }
    JsonElement? Build(DatasetViewRequest request);
}

/// <summary>
/// Reads a remote dataset's published view, signed by this node's actor so the owner knows who asks (the same actor
/// that sends this node's requests between nodes). Throws a <see cref="Errors.CommonsException"/> with code
/// <c>origin_unreachable</c> when the owner cannot be reached or answers with an error, and <c>not_found</c> on 404.
/// </summary>
public interface IRemoteDatasetViews
{
    Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct);
}
