using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Usage;

/// <summary>
/// The monthly usage report per booking organisation. The hosting organisation's stewards (editors of the bookings
/// dataset) see every organisation; any other member sees their own organisation, this node's.
/// </summary>
public sealed class UsageReport(PlaceDirectory directory, IRecordStore store, IModuleStore modules, INodeStore node, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    public UsageTable Of(Caller caller, UsageMonth month)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var bookings = directory.Bookings();
        var everyone = SeesEveryone(caller);
        var all = bookings is null ? [] : BookingRecords.Of(store, bookings).Select(r => r.Booking);
        var prices = new Dictionary<string, Prices>();
        return UsageSums.Of(month, all,
            resource => prices.TryGetValue(resource, out var p) ? p : prices[resource] = PriceOf(resource),
            organisation => everyone || organisation == BookingOrganisation.HostId,
            organisation => BookingOrganisation.Of(organisation, node));
    }

    /// <summary>True for the hosting organisation's stewards: those who may edit the bookings dataset.</summary>
    public bool SeesEveryone(Caller caller) => directory.Bookings() is { } bookings && caller.CanRead
        && DatasetAccess.CanSee(caller, bookings) && DatasetAccess.LevelOf(caller, bookings) >= AccessLevel.Edit;

    private Prices PriceOf(string resource) => Prices.Of(modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(resource))?.Data);
}
