using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Replication;
using MessagePack;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// The MessagePack batch written by hand (<c>BackfillBatchWire</c>) is the batch the library's <c>object[]</c>
/// made: the same bytes on the wire, so an origin and a follower of different versions still understand each other.
/// </summary>
public sealed class BackfillBatchWireTests : IDisposable
{
    private static readonly MessagePackSerializerOptions LibraryForm = MessagePackSerializerOptions.Standard
        .WithCompression(MessagePackCompression.Lz4BlockArray)
        .WithSecurity(MessagePackSecurity.UntrustedData);
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public BackfillBatchWireTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < 25; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"r{i:00}", ReplicationRig.Data($$"""{"title":"Salle à prêter — «{{i}}» <b>&</b>","emoji":"🚲","n":{{i}},"x":1.5e-7}"""));
    }

    public void Dispose() => _rig.Dispose();

    private static byte[] AsTheLibraryWroteIt(BackfillFeed.Page page) => MessagePackSerializer.Serialize(new object?[]
    {
        page.Items.Select(i => JsonSerializer.SerializeToUtf8Bytes<JsonNode>(i, ActivityStreamsContext.WireOptions)).ToArray(),
        page.Last,
        page.Next,
        page.LastSeq,
    }, LibraryForm);

    [Fact]
    public void A_batch_is_byte_for_byte_the_library_form_on_a_middle_page_the_last_page_and_an_empty_page()
    {
        var middle = _rig.Backfill.Read(_dataset, 0, 10);
        Assert.NotNull(middle.Next);
        var last = _rig.Backfill.Read(_dataset, 20, 1000);
        Assert.Null(last.Next);
        var empty = _rig.Backfill.Read(_dataset, _rig.Feed.LastSeq(_dataset.Key), 1000);
        Assert.Empty(empty.Items);
        foreach (var page in new[] { middle, last, empty })
            Assert.Equal(AsTheLibraryWroteIt(page), BackfillBatch.Encode(page));
    }

    [Fact]
    public void A_batch_in_the_library_form_reads_as_before_and_its_extra_elements_are_skipped()
    {
        var page = _rig.Backfill.Read(_dataset, 0, 10);
        var (items, last, next) = BackfillBatch.Decode(AsTheLibraryWroteIt(page));
        Assert.Equal((page.Last, page.Next), (last, next));
        Assert.Equal(page.Items.Select(i => i.ToJsonString(ActivityStreamsContext.WireOptions)), items.Select(i => i.GetRawText()));

        var longer = MessagePackSerializer.Serialize(new object?[] { new object[] { Encoding.UTF8.GetBytes("""{"a":1}""") }, 7L, null, 9L, "later" }, LibraryForm);
        var read = BackfillBatch.Decode(longer);
        Assert.Equal((7L, (long?)null), (read.Last, read.Next));
        Assert.Equal("""{"a":1}""", Assert.Single(read.Items).GetRawText());
    }

    [Fact]
    public void An_item_count_larger_than_the_batch_is_not_a_batch()
    {
        // An array header claiming a million items, then one: read as far as it goes, then refused.
        var bytes = new List<byte> { 0x94, 0xdd, 0x00, 0x0f, 0x42, 0x40, 0xc4, 0x02, (byte)'{', (byte)'}', 0x01, 0xc0, 0x01 };
        Assert.Throws<FormatException>(() => BackfillBatch.Decode([.. bytes]));
    }
}
