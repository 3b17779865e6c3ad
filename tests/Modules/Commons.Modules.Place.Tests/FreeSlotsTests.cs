using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>The free-slot calculation on its own: opening hours on the Brussels clock, across both daylight-saving changes, minus closures and holds.</summary>
public sealed class FreeSlotsTests
{
    private static readonly IReadOnlyList<OpeningHours> NineToFive =
        [new([DayOfWeek.Saturday, DayOfWeek.Sunday, DayOfWeek.Monday], TimeSpan.FromHours(9), TimeSpan.FromHours(17))];

    private static TimeRange Range(string start, string end) => new(At(start), At(end));

    [Fact]
    public void Opening_hours_stay_on_the_wall_clock_across_the_spring_change()
    {
        // Summer time begins on Sunday 29 March 2026 at 02:00: 09:00 is 08:00Z on Saturday, 07:00Z on Sunday.
        var free = FreeSlots.Between(At("2026-03-28T00:00:00+01:00"), At("2026-03-30T00:00:00+02:00"), NineToFive, [], []);
        Assert.Equal([Range("2026-03-28T09:00:00+01:00", "2026-03-28T17:00:00+01:00"), Range("2026-03-29T09:00:00+02:00", "2026-03-29T17:00:00+02:00")], free);
        Assert.Equal(TimeSpan.FromHours(8), free[1].End - free[1].Start);
    }

    [Fact]
    public void A_day_open_around_the_clock_is_23_hours_in_spring_and_25_in_autumn()
    {
        IReadOnlyList<OpeningHours> always = [new([DayOfWeek.Sunday], TimeSpan.Zero, TimeSpan.FromDays(1))];
        var spring = FreeSlots.Between(At("2026-03-29T00:00:00+01:00"), At("2026-03-30T00:00:00+02:00"), always, [], []);
        var autumn = FreeSlots.Between(At("2026-10-25T00:00:00+02:00"), At("2026-10-26T00:00:00+01:00"), always, [], []);
        Assert.Equal(TimeSpan.FromHours(23), Assert.Single(spring).End - spring[0].Start);
        Assert.Equal(TimeSpan.FromHours(25), Assert.Single(autumn).End - autumn[0].Start);
    }

    [Fact]
    public void Held_and_closed_times_are_cut_out_and_the_range_clips_the_openings()
    {
        var free = FreeSlots.Between(At("2026-10-24T10:00:00+02:00"), At("2026-10-26T12:00:00+01:00"), NineToFive,
            closed: [Range("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")],
            busy: [Range("2026-10-24T12:00:00+02:00", "2026-10-24T13:00:00+02:00"), Range("2026-10-24T12:30:00+02:00", "2026-10-24T14:00:00+02:00"),
                Range("2026-10-26T09:00:00+01:00", "2026-10-26T10:00:00+01:00")]);
        Assert.Equal([
            Range("2026-10-24T10:00:00+02:00", "2026-10-24T12:00:00+02:00"), Range("2026-10-24T14:00:00+02:00", "2026-10-24T17:00:00+02:00"),
            Range("2026-10-26T10:00:00+01:00", "2026-10-26T12:00:00+01:00"),
        ], free);
    }

    [Fact]
    public void No_hours_means_open_at_any_time_and_an_empty_or_reversed_range_has_no_slot()
    {
        var free = FreeSlots.Between(At("2026-04-01T00:00:00Z"), At("2026-04-02T00:00:00Z"), null, [], [Range("2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z")]);
        Assert.Equal([Range("2026-04-01T00:00:00Z", "2026-04-01T10:00:00Z"), Range("2026-04-01T11:00:00Z", "2026-04-02T00:00:00Z")], free);
        Assert.Empty(FreeSlots.Between(At("2026-04-02T00:00:00Z"), At("2026-04-01T00:00:00Z"), null, [], []));
        Assert.Empty(FreeSlots.Between(At("2026-04-01T00:00:00Z"), At("2026-04-02T00:00:00Z"), null, [Range("2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z")], []));
    }
}
