using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Views;

namespace Commons.Federation.Tests.Views;

/// <summary>
/// The views the modules register: found by kind and name while their module is on, named in the dataset actor as
/// <c>commons:views</c>; a bad name or two views of one name for one kind refuse to build (the node does not start).
/// </summary>
public sealed class DatasetViewRegistryTests
{
    private sealed class View(string kind, string name) : IDatasetView
    {
        public string Kind => kind;
        public string Name => name;
        public JsonElement? Build(DatasetViewRequest request) => null;
    }

    private sealed class SlotsKind : DatasetKind
    {
        public override string Name => "test.slots";
        public override int SchemaVersion => 1;
        public override string Schema => DatasetRules.OpenSchema;
        public override LocalizedText Title => new(null, null, "Slots");
    }

    private sealed class Switches : Core.Modules.IModuleSwitches
    {
        public bool On { get; set; } = true;
        public bool IsOn(string module) => On && module == "test";
    }

    private static readonly DatasetKindRegistry Kinds = new([new SlotsKind()]);

    [Fact]
    public void A_view_is_found_while_its_module_is_on_and_named_in_order()
    {
        var switches = new Switches();
        var registry = new DatasetViewRegistry([new View("test.slots", "slots"), new View("test.slots", "bookings"), new View("other.kind", "slots")], Kinds, switches);
        Assert.Equal("slots", registry.Find("test.slots", "slots")?.Name);
        Assert.Equal(["bookings", "slots"], registry.NamesFor("test.slots"));
        Assert.Null(registry.Find("test.slots", "other"));
        // A kind this node does not know has no views, as its requests are refused.
        Assert.Null(registry.Find("other.kind", "slots"));
        Assert.Empty(registry.NamesFor(DatasetKind.Custom));

        switches.On = false;
        Assert.Null(registry.Find("test.slots", "slots"));
        Assert.Empty(registry.NamesFor("test.slots"));
    }

    [Theory]
    [InlineData("Slots")]
    [InlineData("")]
    [InlineData("-slots")]
    [InlineData("free slots")]
    [InlineData("slots/../x")]
    public void A_bad_view_name_refuses_to_build(string name) =>
        Assert.Throws<InvalidOperationException>(() => new DatasetViewRegistry([new View("test.slots", name)], Kinds));

    [Fact]
    public void Two_views_of_one_name_for_one_kind_refuse_to_build()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new DatasetViewRegistry([new View("test.slots", "slots"), new View("test.slots", "slots")], Kinds));
        Assert.Contains("two views are named 'slots' for kind 'test.slots'", e.Message);
    }

    [Fact]
    public void The_dataset_actor_names_its_views_as_commons_views()
    {
        var uris = new ActivityUris("https://a.example");
        var dataset = new Dataset
        {
            Key = 1, Slug = "rooms", Title = new LocalizedText(null, null, "Rooms"), Schema = DatasetRules.OpenSchema, Policy = SharingPolicy.Public,
            Kind = "test.slots", KindVersion = 1,
        };
        var keys = new ActorKeys("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "z6Mk");
        var actor = ActorDocuments.DatasetActor(dataset, uris, keys, views: ["bookings", "slots"]);
        Assert.Equal("""{"bookings":"https://a.example/datasets/rooms/views/bookings","slots":"https://a.example/datasets/rooms/views/slots"}""",
            actor[ActivityStreamsContext.Views]!.ToJsonString());
        Assert.False(ActorDocuments.DatasetActor(dataset, uris, keys, views: []).ContainsKey(ActivityStreamsContext.Views));
    }
}
