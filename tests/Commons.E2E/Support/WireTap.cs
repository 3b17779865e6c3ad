using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Commons.Federation.Replication;

namespace Commons.E2E.Support;

/// <summary>One HTTP exchange seen on the wire between nodes of the test process.</summary>
public sealed record WireMessage(string Method, Uri Uri, string Direction, string? ContentType, byte[] Bytes)
{
    /// <summary>The bytes as text; a MessagePack backfill batch is decoded (it is LZ4-compressed) into its JSON items.</summary>
    public string Text()
    {
        if (ContentType?.StartsWith(BackfillBatch.MediaType, StringComparison.OrdinalIgnoreCase) == true
            || ContentType?.StartsWith(BackfillBatch.RecordObjectsMediaType, StringComparison.OrdinalIgnoreCase) == true)
        {
            var (items, last, next) = BackfillBatch.Decode(Bytes);
            return $"[{string.Join(",", items.Select(i => i.GetRawText()))}] last={last} next={next}";
        }
        return Encoding.UTF8.GetString(Bytes);
    }
}

/// <summary>
/// What crossed the wire to a node, from the .NET HTTP client's diagnostics (every node of the test process sends
/// through SocketsHttpHandler): the bodies POSTed to the node's inboxes, and the bodies of the answers to the GETs the
/// node signed (its key id names its actor), e.g. backfill pages and digests. Process-wide: filter by node.
/// </summary>
public sealed class WireTap : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentQueue<(TestNode Node, WireMessage Message)> _messages = new();
    private readonly TestNode[] _watched;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ConditionalWeakTable<object, object> _seen = new();
    private readonly IDisposable _all;

    public WireTap(params TestNode[] watched)
    {
        _watched = watched;
        _all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>Everything the node received from other nodes.</summary>
    public IReadOnlyList<WireMessage> ReceivedBy(TestNode node) => _messages.Where(m => m.Node == node).Select(m => m.Message).ToList();

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "HttpHandlerDiagnosticListener")
            lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        try
        {
            switch (e.Key)
            {
                case "System.Net.Http.HttpRequestOut.Start" or "System.Net.Http.Request":
                    if (Property<HttpRequestMessage>(e.Value, "Request") is { } request) OnRequest(request);
                    break;
                case "System.Net.Http.HttpRequestOut.Stop" or "System.Net.Http.Response":
                    if (Property<HttpResponseMessage>(e.Value, "Response") is { } response) OnResponse(response);
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or ObjectDisposedException or TaskCanceledException)
        {
            // A cut exchange: nothing crossed.
        }
    }

    private void OnRequest(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Post || request.Content is null || request.RequestUri is not { } uri) return;
        var to = _watched.FirstOrDefault(n => n.Port == uri.Port && uri.Host == "127.0.0.1");
        if (to is null || !uri.AbsolutePath.EndsWith("inbox", StringComparison.Ordinal)) return;
        if (!Once(request)) return;
        var bytes = request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        _messages.Enqueue((to, new WireMessage("POST", uri, "request", request.Content.Headers.ContentType?.MediaType, bytes)));
    }

    private void OnResponse(HttpResponseMessage response)
    {
        var request = response.RequestMessage;
        if (request is null || request.Method != HttpMethod.Get || request.RequestUri is not { } uri) return;
        var signature = string.Join(" ", request.Headers.Where(h => h.Key.StartsWith("Signature", StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value));
        var by = _watched.FirstOrDefault(n => signature.Contains(n.Url + "/actor", StringComparison.Ordinal));
        if (by is null || by.Port == uri.Port || !Once(response)) return;
        // Buffer the body here (the node's client then reads the buffered copy) and keep it.
        response.Content.LoadIntoBufferAsync().GetAwaiter().GetResult();
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        _messages.Enqueue((by, new WireMessage("GET", uri, "response", response.Content.Headers.ContentType?.MediaType, bytes)));
    }

    private bool Once(object message)
    {
        lock (_seen)
        {
            if (_seen.TryGetValue(message, out _)) return false;
            _seen.Add(message, new object());
            return true;
        }
    }

    private static T? Property<T>(object? payload, string name) where T : class =>
        payload?.GetType().GetProperty(name)?.GetValue(payload) as T;

    public void OnCompleted() { }
    public void OnError(Exception error) { }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
    }
}
