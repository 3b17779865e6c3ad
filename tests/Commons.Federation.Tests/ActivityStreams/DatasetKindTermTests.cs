using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>A dataset actor names its kind (<c>commons:kind</c>) when a module gave it one, so a peer knows what it may ask and how long to wait.</summary>
public sealed class DatasetKindTermTests
{
    [Fact]
    public void A_dataset_of_a_modules_kind_publishes_it_and_a_custom_one_does_not()
    {
        var custom = ActorDocuments.DatasetActor(Offers(), Uris, Keys);
        Assert.False(custom.ContainsKey(ActivityStreamsContext.Kind));

        var bookings = ActorDocuments.DatasetActor(Offers() with { Kind = "place.bookings", KindVersion = 1 }, Uris, Keys);
        Assert.Equal("place.bookings", (string?)bookings[ActivityStreamsContext.Kind]);
        Assert.True(ActivityStreamsContext.InlineTerms.ContainsKey(ActivityStreamsContext.Kind));
        Assert.Null(DatasetActorRecognition.WhyNot(ActivityStreamsContext.ToElement(bookings)));
    }
}
