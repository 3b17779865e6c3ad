using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Commons.Federation.Http;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Tests.Support;
using WireMock;
using WireMock.Server;
using WireMock.Settings;

namespace Commons.Federation.Tests.Http;

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A resolver answering from a table (or a sequence of answers per name) and counting lookups.</summary>
internal sealed class FakeResolver
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _lookups = new();

    public IReadOnlyCollection<string> Lookups => _lookups;

    /// <summary>Answers for <paramref name="host"/>, one per lookup; the last one repeats.</summary>
    public FakeResolver Map(string host, params IPAddress[][] answers)
    {
        _answers[host] = new ConcurrentQueue<IPAddress[]>(answers);
        return this;
    }

    public FakeResolver Map(string host, IPAddress address) => Map(host, [address]);

    public Task<IPAddress[]> Resolve(string host, CancellationToken cancellationToken)
    {
        _lookups.Enqueue(host);
        if (!_answers.TryGetValue(host, out var queue))
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        if (queue.Count > 1 && queue.TryDequeue(out var next))
        {
            return Task.FromResult(next);
        }
        return Task.FromResult(queue.TryPeek(out var last) ? last : []);
    }
}

/// <summary>Keys and builders shared by the HTTP tests.</summary>
internal static class HttpTest
{
    public const string PeerHost = "peer.test";
    public const string KeyId = "https://node.test/actor#main-key";

    public static SigningIdentity Signer { get; } = new(SignedRequests.RsaKey, KeyId);

    public static string RsaPublicKeyPem => ((RsaSigningKey)SignedRequests.RsaKey).ExportPublicKeyPem();

    /// <summary>A policy that refuses private addresses except 127.0.0.1, which stands in for "a public server" in tests.</summary>
    public static AddressPolicy LoopbackAsPublic { get; } = AddressPolicy.PublicOnly.Except(IPAddress.Loopback);

    public static FederationOptions Options(Action<FederationOptions>? configure = null)
    {
        var options = new FederationOptions { RequestTimeout = TimeSpan.FromSeconds(5), UserAgent = "CommonsNode-Tests/1.0" };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A client whose resolver maps <see cref="PeerHost"/> to 127.0.0.1, with only 127.0.0.1 admitted.</summary>
    public static SignedHttpClient Client(FederationOptions? options = null, FakeResolver? resolver = null, IAddressPolicy? policy = null, TimeProvider? clock = null)
    {
        resolver ??= new FakeResolver().Map(PeerHost, IPAddress.Loopback);
        return new SignedHttpClient(options ?? Options(), clock, policy ?? LoopbackAsPublic, resolver.Resolve);
    }

    public static WireMockServer StartPeer() =>
        WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"], StartAdminInterface = false });

    public static int Port(this WireMockServer server) => server.Ports[0];

    /// <summary>The peer's base URL under the fake public name.</summary>
    public static string PeerUrl(this WireMockServer server, string path = "") => $"http://{PeerHost}:{server.Port()}{path}";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The request as the sender signed it: Host header for the authority, the server's view of path and query.</summary>
    public static SignableHttpMessage ToSignable(IRequestMessage request)
    {
        var headers = new HttpHeaderMultiMap();
        foreach (var (name, values) in request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
        {
            headers.Add(name, values);
        }
        var host = headers.GetCombinedValue("Host")!;
        var url = new Uri(request.Url);
        return SignableHttpMessage.ForRequest(request.Method, new Uri($"http://{host}{url.PathAndQuery}"), headers, request.BodyAsBytes);
    }

    public static ResponseMessage Respond(int status, string? body = null, string contentType = "application/json")
    {
        var response = new ResponseMessage { StatusCode = status };
        if (body is not null)
        {
            response.BodyData = new WireMock.Util.BodyData
            {
                BodyAsString = body,
                Encoding = Encoding.UTF8,
                DetectedBodyType = WireMock.Types.BodyType.String,
            };
            response.AddHeader("Content-Type", contentType);
        }
        return response;
    }
}

/// <summary>
/// A bare HTTP/1.1 server on 127.0.0.1 for answers WireMock will not give (no Content-Length, gzip bombs,
/// silence): reads one request per connection, writes the canned bytes, closes.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, CancellationToken, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public RawHttpServer(Func<NetworkStream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public static RawHttpServer Canned(byte[] head, Func<Stream, CancellationToken, Task> writeBody) =>
        new(async (stream, ct) =>
        {
            await stream.WriteAsync(head, ct);
            await writeBody(stream, ct);
        });

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        await ReadRequestHead(stream, _stop.Token);
                        await _respond(stream, _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
                    {
                        // The client went away (e.g. it refused an oversized body) or the server stops.
                    }
                }
            });
        }
    }

    private static async Task ReadRequestHead(NetworkStream stream, CancellationToken cancellationToken)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1)
        {
            seen.Add(one[0]);
            var n = seen.Count;
            if (n >= 4 && seen[n - 4] == '\r' && seen[n - 3] == '\n' && seen[n - 2] == '\r' && seen[n - 1] == '\n')
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
