using System.CommandLine;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Platform;

namespace Commons.Modules.Place.Cli;

/// <summary><c>commons-node place resources</c> and <c>commons-node place bookings [--resource X]</c>: what the place holds, for the operator.</summary>
public static class PlaceCommands
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var place = new Command("place", "Look at the shared place: its resources and bookings.");

        var resources = new Command("resources", "List the resources with the times they are booked in the next 14 days (Europe/Brussels).");
        resources.SetAction(_ =>
        {
            var c = context();
            c.Out.WriteLine($"{"ID",-28} {"DATASET",-20} {"CATEGORY",-8} {"BOOKED",6} NAME");
            foreach (var r in c.Get<PlaceService>().Resources(c.Operator))
                c.Out.WriteLine($"{r.Id,-28} {r.Dataset,-20} {r.Category,-8} {r.Busy.Count,6} {r.Name.In("en")}");
            return 0;
        });
        place.Add(resources);

        var resource = new Option<string>("--resource") { Description = "Only the bookings of this resource (its id)." };
        var bookings = new Command("bookings", "List the bookings, latest start first; times in Europe/Brussels.") { resource };
        bookings.SetAction(parse =>
        {
            var c = context();
            c.Out.WriteLine($"{"ID",-28} {"RESOURCE",-28} {"START",-25} {"END",-25} {"STATE",-9} BOOKED BY");
            foreach (var b in c.Get<PlaceService>().Bookings(c.Operator, parse.GetValue(resource)))
                c.Out.WriteLine($"{b.Id,-28} {b.Booking.Resource,-28} {PlaceTime.Text(b.Booking.Start),-25} {PlaceTime.Text(b.Booking.End),-25} {b.Booking.State,-9} {b.Booking.BookedBy}");
            return 0;
        });
        place.Add(bookings);
        place.Add(UsageCommand.Build(context));
        foreach (var command in QuotaCommand.Build(context)) place.Add(command);
        return place;
    }
}
