using System.Text.Json.Nodes;
using Commons.Node.Tests.Cli;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// A probe node other nodes reach and follow: its port is chosen before it starts, because its public URL (its actors'
/// ids) depends on it; it may reach peers on 127.0.0.1 (<c>Federation:AllowPrivateNetworks</c>).
/// </summary>
public sealed class FederatingProbeNode : ProbeNode
{
    private readonly int _viewsPerMinute;

    public FederatingProbeNode() : this(100_000) { }

    public FederatingProbeNode(int viewsPerMinute)
    {
        _viewsPerMinute = viewsPerMinute;
        Port = NodeProcess.FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string NodeActor => $"{Url}/actor";
    public string DatasetActor(string slug) => $"{Url}/datasets/{slug}";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Commons:PublicUrl", Url), new("Federation:AllowPrivateNetworks", "true"), new("Federation:ViewRequestsPerMinute", _viewsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>A dataset of kind <c>probe.slots</c> with <paramref name="policy"/>, created by the administrator; its slug.</summary>
    public async Task<string> SlotsAsync(string policy)
    {
        var slug = Unique("slots-");
        using var admin = await AdminAsync();
        await Expect(await admin.PostAsync("/api/datasets", Json(new JsonObject
        {
            ["slug"] = slug, ["title"] = new JsonObject { ["en"] = $"Slots {slug}" }, ["kind"] = "probe.slots", ["policy"] = policy,
        })), 201);
        return slug;
    }
}

/// <summary>Two federating probe nodes: A owns datasets and publishes their views, B follows and reads them.</summary>
public sealed class ViewNodes : IAsyncLifetime
{
    public FederatingProbeNode A { get; } = new();
    public FederatingProbeNode B { get; } = new();

    public async Task InitializeAsync()
    {
        _ = (A.Address, B.Address);
        await A.SwitchAsync(true);
        await B.SwitchAsync(true);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>Waits for <paramref name="probe"/> to hold, up to 30 s; fails with <paramref name="what"/> otherwise.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> holds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (holds(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 30 s for {what}");
            await Task.Delay(50);
        }
    }
}
