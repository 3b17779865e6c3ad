using System.Net;
using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Federation.Http;

namespace Commons.Federation.Views;

/// <summary>
/// Reads a remote dataset's view: a GET of <c>{datasetActor}/views/{view}?{query}</c> signed by this node's actor (the
/// actor that sends our requests between nodes, so the owner admits us as the follower it knows), through the
/// federation client (domain rules, SSRF-guarded connect, per-host limit, <see cref="FederationOptions.RequestTimeout"/>),
/// answer capped at <see cref="MaxResponseBytes"/>. 404 or 410: <c>not_found</c>; anything else that is not a JSON
/// answer: <c>origin_unreachable</c>. <paramref name="ensureFederating"/> is the host's federation gate.
/// </summary>
public sealed class RemoteDatasetViews(SignedHttpClient http, SigningIdentity signer, Action? ensureFederating = null) : IRemoteDatasetViews
{
    public const int MaxResponseBytes = 1024 * 1024;
    private const int MaxJsonDepth = 64;

    public async Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct)
    {
        ensureFederating?.Invoke();
        if (!Uri.TryCreate(datasetActor, UriKind.Absolute, out var actor) || actor.Scheme is not ("http" or "https") || actor.Query.Length > 0 || actor.Fragment.Length > 0)
            throw ValidationException.For("datasetActor", "the dataset actor's http(s) URL", ProblemCodes.InvalidParameter);
        if (string.IsNullOrEmpty(view) || view.Length > 64 || !view.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            throw ValidationException.For("view", "a view name: lowercase letters, digits and '-'", ProblemCodes.InvalidParameter);
        var uri = ViewUri(actor, view, DatasetViewQuery.Check(query));

        FederationResponse response;
        try
        {
            response = await http.GetAsync(uri, signer, "application/json", ct);
        }
        catch (ResponseTooLargeException)
        {
            throw new OriginUnreachableException($"{uri.Authority} answered more than the node reads ({http.Options.MaxResponseBytes / 1024} KiB)");
        }
        catch (Exception e) when (e is FederationHttpException or HttpRequestException)
        {
            throw new OriginUnreachableException($"cannot reach {uri.Authority}: {e.Message}");
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            throw new NotFoundException($"{actor} publishes no view '{view}' this node may read");
        if (!response.IsSuccessStatusCode)
            throw new OriginUnreachableException($"{uri.Authority} answered {(int)response.StatusCode}{ProblemCodeOf(response)}");
        if (response.Body.Length > MaxResponseBytes)
            throw new OriginUnreachableException($"{uri.Authority} answered more than {MaxResponseBytes / 1024} KiB");
        try
        {
            using var doc = JsonDocument.Parse(response.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new OriginUnreachableException($"{uri.Authority} answered something that is not JSON: {e.Message}");
        }
    }

    /// <summary>The view's URL: the actor's path, <c>/views/</c> and the name, then the query, every part escaped.</summary>
    public static Uri ViewUri(Uri datasetActor, string view, IReadOnlyDictionary<string, string> query)
    {
        var url = new StringBuilder(datasetActor.GetLeftPart(UriPartial.Path).TrimEnd('/')).Append("/views/").Append(Uri.EscapeDataString(view));
        var separator = '?';
        foreach (var (name, value) in query)
        {
            url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new Uri(url.ToString());
    }

    /// <summary>The owner's problem code, when its error answer is a problem document with one (for the log and the detail).</summary>
    private static string ProblemCodeOf(FederationResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && code.GetString() is { Length: > 0 and <= 64 } text && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
                ? $" ({text})" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
