using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>The resources kind: its defaults, its fixed schema, and the index its rules keep for the bookings.</summary>
public sealed class ResourceRuleTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void The_kinds_give_their_schema_and_sharing_and_the_schema_cannot_be_changed()
    {
        var rooms = _node.DatasetStore.Find("rooms")!;
        var bookings = _node.DatasetStore.Find("bookings")!;
        Assert.Equal(("place.resources", 2, SharingPolicy.Public), (rooms.Kind, rooms.KindVersion, rooms.Policy));
        Assert.Equal(("place.bookings", 2, SharingPolicy.Private), (bookings.Kind, bookings.KindVersion, bookings.Policy));
        Assert.Equal(["bookedBy", "organisation", "purpose", "requestId"], bookings.ExcludedFields);
        Assert.Contains("\"$id\": \"/schemas/place.resources.v2.json\"", rooms.Schema);
        var e = Assert.Throws<ValidationException>(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Schema = DatasetRules.OpenSchema }));
        Assert.Equal(ProblemCodes.KindSchemaFixed, e.Code);
    }

    [Fact]
    public void A_resource_that_does_not_meet_the_schema_is_refused()
    {
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "bad", Doc("""{"name":{},"category":"room"}""")));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "bad", Doc("""{"name":{"en":"x"},"category":"boat"}""")));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "bad", Doc("""
            {"name":{"en":"x"},"category":"room","openingHoursSpecification":[{"dayOfWeek":["monday"],"opens":"8:00","closes":"22:00"}]}
            """)));
        Assert.Null(_node.RecordStore.Get(_node.DatasetStore.Find("rooms")!.Key, "bad"));
    }

    [Fact]
    public void A_resource_id_is_one_resource_across_the_node()
    {
        _node.CreateDataset("annex", "place.resources");
        var e = Assert.Throws<RuleConflictException>(() => _node.Records.Create(Admin, "annex", "hall", Doc("""{"name":{"en":"Annex hall"},"category":"room"}""")));
        Assert.Equal(PlaceCodes.ResourceIdTaken, e.Code);
        Assert.Null(_node.RecordStore.Get(_node.DatasetStore.Find("annex")!.Key, "hall"));
    }

    [Fact]
    public void Changed_rules_of_a_resource_apply_to_the_next_booking_and_a_resource_with_bookings_to_come_is_not_removed()
    {
        var hall = _node.RecordStore.Get(_node.DatasetStore.Find("rooms")!.Key, "hall")!;
        _node.Records.Update(Admin, "rooms", "hall", Doc(hall.Data.GetRawText().Replace("\"maxLengthMinutes\":240", "\"maxLengthMinutes\":60")), null, null);
        var tooLong = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00")));
        Assert.Equal(PlaceCodes.BookingTooLong, tooLong.Code);

        var booking = _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00"));
        var inUse = Assert.Throws<RuleConflictException>(() => _node.Records.Delete(Admin, "rooms", "hall", null));
        Assert.Equal(PlaceCodes.ResourceInUse, inUse.Code);
        _node.Place.Cancel(Alice, booking.Id);
        _node.Records.Delete(Admin, "rooms", "hall", null);
        var gone = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("hall", "2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00")));
        Assert.Equal(PlaceCodes.UnknownResource, gone.Code);
    }

    [Fact]
    public void Deleting_a_bookings_dataset_frees_its_slots_and_a_resources_dataset_goes_only_without_bookings_to_come()
    {
        _node.CreateDataset("annex", "place.resources");
        _node.Records.Create(Admin, "annex", "loft", Doc("""{"name":{"en":"Loft"},"category":"room"}"""));
        var slot = Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00");
        _node.Place.Book(Alice, slot);

        var inUse = Assert.Throws<RuleConflictException>(() => _node.Datasets.Delete(Admin, "rooms"));
        Assert.Equal(PlaceCodes.ResourceInUse, inUse.Code);
        Assert.NotNull(_node.DatasetStore.Find("rooms"));

        // The bookings go with their dataset, and so do their holds: the slot is free for a new bookings dataset.
        _node.Datasets.Delete(Admin, "bookings");
        _node.CreateDataset("bookings2", "place.bookings");
        Assert.True(_node.Place.Book(Alice, slot).Booking.IsConfirmed);

        // Without bookings to come the resources dataset goes, and its ids are free again in another dataset.
        _node.Datasets.Delete(Admin, "bookings2");
        _node.Datasets.Delete(Admin, "annex");
        _node.Datasets.Delete(Admin, "rooms");
        _node.CreateDataset("rooms2", "place.resources");
        _node.Records.Create(Admin, "rooms2", "hall", Doc("""{"name":{"en":"New hall"},"category":"room"}"""));
        _node.Records.Create(Admin, "rooms2", "loft", Doc("""{"name":{"en":"New loft"},"category":"room"}"""));
    }

    [Fact]
    public void A_member_sees_resources_of_datasets_they_may_see_with_their_busy_times()
    {
        _node.CreateDataset("hidden", "place.resources");
        _node.Datasets.Update(Admin, "hidden", new DatasetDraft { Policy = SharingPolicy.Private });
        _node.Records.Create(Admin, "hidden", "vault", Doc("""{"name":{"en":"Vault"},"category":"room"}"""));
        _node.Place.Book(Alice, Ask("van", "2026-03-21T10:00:00+01:00", "2026-03-22T10:00:00+01:00"));

        Assert.Equal(["hall", "van"], _node.Place.Resources(Bob).Select(r => r.Id).Order());
        Assert.Equal(["hall", "van", "vault"], _node.Place.Resources(Admin).Select(r => r.Id).Order());
        var van = _node.Place.Resources(Bob).Single(r => r.Id == "van");
        Assert.Equal([(At("2026-03-21T09:00:00Z"), At("2026-03-22T09:00:00Z"))], van.Busy.Select(b => (b.Start, b.End)));
        Assert.Equal("Main hall", _node.Place.Resource(Bob, "hall").Name.In("en"));
        var hidden = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Bob, Ask("vault", "2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00")));
        Assert.Equal(PlaceCodes.UnknownResource, hidden.Code);
        Assert.Throws<NotFoundException>(() => _node.Place.Resource(Bob, "vault"));
    }
}
