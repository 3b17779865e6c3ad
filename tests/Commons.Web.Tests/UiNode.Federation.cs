using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Web.Tests;

/// <summary>Federation state made directly through the node's stores, as a peer's activities would have made it.</summary>
public sealed partial class UiNode
{
    /// <summary>A follower of <paramref name="slug"/> from a peer that does not exist (its deliveries simply fail).</summary>
    public Follower AddFollower(string slug, string host, FollowerState state, string? approvedBy = null, DateTimeOffset? since = null)
    {
        var follower = new Follower
        {
            DatasetSlug = slug, ActorUri = $"https://{host}/actor", Inbox = $"https://{host}/actor/inbox",
            FollowActivityId = $"https://{host}/follows/{Guid.NewGuid():N}", State = state, Since = since ?? DateTimeOffset.UtcNow, ApprovedBy = approvedBy,
        };
        Service<IFollowerStore>().Upsert(follower);
        return follower;
    }

    /// <summary>A subscription to a dataset of a peer that does not exist, in <paramref name="state"/>.</summary>
    public Subscription AddSubscription(string name, SubscriptionState state, string host = "peer.invalid")
    {
        var slug = Unique("remote-");
        var s = new Subscription
        {
            Id = Guid.NewGuid().ToString("N"), DatasetActor = $"https://{host}/datasets/{slug}", Handle = $"{slug}@{host}",
            Inbox = $"https://{host}/datasets/{slug}/inbox", Name = name, FollowActivityId = $"https://us.invalid/follows/{Guid.NewGuid():N}",
            State = state, RequestedBy = "admin", Since = DateTimeOffset.UtcNow,
        };
        Service<ISubscriptionStore>().Upsert(s);
        return s;
    }

    /// <summary>Replicated records of <paramref name="s"/>, as the applier stores them.</summary>
    public void AddReplicas(Subscription s, int count, Func<int, string> json, Func<int, bool>? verified = null, DateTimeOffset? receivedFrom = null)
    {
        var store = Service<IReplicaStore>();
        var start = receivedFrom ?? DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            store.ApplyIfNewer(new ReplicaRecord
            {
                SubscriptionId = s.Id, RecordId = $"r{i:D3}", ObjectUri = $"{s.DatasetActor}/records/r{i:D3}", Revision = 1,
                Data = JsonDocument.Parse(json(i)).RootElement.Clone(), Name = $"Record {i}", ReceivedAt = start.AddSeconds(i),
                ProofVerified = verified?.Invoke(i) ?? true,
            });
        }
    }
}

/// <summary>What federation tests read from pages and send as forms.</summary>
public static partial class Pages
{
    /// <summary>The rows of a table (by id) as their HTML, keyed by a data attribute.</summary>
    public static Dictionary<string, string> Rows(string html, string tableId, string attribute)
    {
        var start = html.IndexOf($"id=\"{tableId}\"", StringComparison.Ordinal);
        if (start < 0) return [];
        var end = html.IndexOf("</table>", start, StringComparison.Ordinal);
        var table = html[start..end];
        return RowPattern().Matches(table).Where(m => m.Groups[1].Value == attribute)
            .GroupBy(m => WebUtility.HtmlDecode(m.Groups[2].Value))
            .ToDictionary(g => g.Key, g => g.First().Groups[3].Value); // rows sharing a key: the first
    }

    public static bool Has(string html, string id) => html.Contains($"id=\"{id}\"", StringComparison.Ordinal);

    [GeneratedRegex("<tr (data-[a-z]+)=\"([^\"]*)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();
}

/// <summary>
/// A node other nodes can reach and follow: its port is chosen before it starts, because its public URL (and so its actors'
/// ids) depends on it; outgoing federation may reach 127.0.0.1 (<c>Federation:AllowPrivateNetworks</c>).
/// </summary>
public sealed class PeerNode : WebApplicationFactory<Commons.Node.Program>
{
    private readonly Dictionary<string, string> _settings;
    private int _counter;

    public PeerNode(IReadOnlyDictionary<string, string>? settings = null)
    {
        Port = FreePort();
        Address = new Uri($"http://127.0.0.1:{Port}/");
        _settings = new Dictionary<string, string>
        {
            ["Commons:PublicUrl"] = Url,
            ["Commons:DataDirectory"] = DataDirectory,
            ["Commons:AdminSocket"] = "false",
            ["Commons:InitialAdminPassword"] = UiNode.AdminPassword,
            ["Commons:Security:PasswordIterations"] = "1000",
            ["Federation:AllowPrivateNetworks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _settings[k] = v;
        UseKestrel(Port);
        StartServer();
    }

    public int Port { get; }
    public Uri Address { get; }
    public string Url => Address.ToString().TrimEnd('/');
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-web-tests", Guid.NewGuid().ToString("N"));
    public string Handle(string slug) => $"{slug}@{Address.Authority}";
    public string NodeActor => $"{Url}/actor";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Answers each dataset's webfinger and actor once before another node follows it (see <see cref="Flow.FederationWarmUp"/>).</summary>
    public async Task WarmAsync(params string[] slugs)
    {
        foreach (var slug in slugs) await Flow.FederationWarmUp.DatasetAsync(Address, slug);
    }

    public Browser Browser() => new(Address);

    public async Task<Browser> AdminBrowserAsync()
    {
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        return browser;
    }

    public string CreateDataset(SharingPolicy policy, string title)
    {
        var slug = $"ds-{Interlocked.Increment(ref _counter)}";
        Service<DatasetService>().Create(UiNode.Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(null, null, title), Policy = policy, License = "CC-BY-4.0" });
        return slug;
    }

    public void AddRecords(string slug, int count, Func<int, string> json)
    {
        var records = Service<RecordService>();
        for (var i = 0; i < count; i++)
            records.Create(UiNode.Admin, slug, null, JsonDocument.Parse(json(i)).RootElement.Clone());
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Polling with a deadline: how these tests wait for another node.</summary>
public static class Eventually
{
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string what, int seconds = 30)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (accept(value)) return value;
            if (DateTime.UtcNow > end) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(100);
        }
    }
}
