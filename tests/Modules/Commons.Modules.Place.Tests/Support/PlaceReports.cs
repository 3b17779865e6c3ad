using Commons.Core.Nodes;
using Commons.Modules.Place.Calendar;
using Commons.Modules.Place.Usage;
using Commons.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>The place's calendar feeds and usage report on a <see cref="PlaceNode"/>'s store, for a node named "Maison de quartier".</summary>
public sealed class PlaceReports
{
    public const string NodeName = "Maison de quartier";

    public PlaceReports(PlaceNode node)
    {
        Node = node;
        NodeStore = new LiteNodeStore(node.Database);
        NodeStore.Save(new NodeIdentity { Name = NodeName, TokenSigningKey = new byte[32], CreatedAt = PlaceNode.Start });
        Feeds = new CalendarFeeds(node.Directory, node.RecordStore, node.ModuleStore, NodeStore, node.Clock, node.Remote);
        Usage = new UsageReport(node.Directory, node.RecordStore, node.ModuleStore, NodeStore, node.Clock, node.Billing);
    }

    public PlaceNode Node { get; }
    public INodeStore NodeStore { get; }
    public CalendarFeeds Feeds { get; }
    public UsageReport Usage { get; }

    /// <summary>The module over real HTTP with the place's services and these.</summary>
    public Task<ModuleTestHost> StartAsync() => ModuleTestHost.StartAsync<PlaceModule>(PlaceHost.Callers, s =>
    {
        s.AddSingleton(Node.Place);
        s.AddSingleton(Feeds);
        s.AddSingleton(Usage);
        s.AddSingleton(new ElsewhereUsage(Node.Remote, Node.RemoteViews, Node.ModuleStore, Node.Clock));
        s.AddSingleton(new Services.PlaceQuotaGovernance(Node.Directory, Node.Datasets, Node.Records, Node.RecordStore, []));
    });

    /// <summary>A booking held by another node's actor, as the place's request handler writes it.</summary>
    public string BookForPeer(string actor, string resource, string start, string end, string? organisation = null)
    {
        var booking = new Kinds.Booking(resource, PlaceNode.At(start), PlaceNode.At(end), actor, Kinds.BookingStates.Confirmed, null, organisation);
        return Node.Records.CreateDecided(Node.DatasetStore.Find("bookings")!, actor, null, booking.ToData()).Record.Id;
    }
}
