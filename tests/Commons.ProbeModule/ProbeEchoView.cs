using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Probe;

/// <summary>
/// <c>probe.slots</c>'s view <c>echo</c>: says back who asked and what (the fetcher, its host, the query), so tests see
/// what the host passed. <c>?missing=1</c> answers "not found" (null), <c>?fail=1</c> a domain error with its code,
/// <c>?pad=N</c> pads the answer with N characters.
/// </summary>
public sealed class ProbeEchoView : IDatasetView
{
    public string Kind => "probe.slots";
    public string Name => "echo";

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.Query.ContainsKey("missing")) return null;
        if (request.Query.ContainsKey("fail")) throw new ConflictException("the probe was asked to fail", SlotsKind.SlotTaken);
        var pad = request.Query.TryGetValue("pad", out var n) && int.TryParse(n, out var count) ? new string('x', Math.Clamp(count, 0, 4 * 1024 * 1024)) : "";
        return JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["dataset"] = request.Dataset.Slug, ["view"] = request.View, ["fetcher"] = request.FetcherActor, ["host"] = request.FetcherHost,
            ["query"] = request.Query, ["now"] = request.Now, ["pad"] = pad,
        });
    }
}
