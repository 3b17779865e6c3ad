using Commons.Federation.Http;

namespace Commons.Federation.Tests.Http;

public class CappedContentTests
{
    [Fact]
    public async Task Announced_length_over_the_limit_is_refused_before_reading()
    {
        var content = new ByteArrayContent(new byte[11]);
        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => CappedContent.ReadAsBytesAsync(content, 10));
        Assert.Equal(11, e.AnnouncedLength);
    }

    [Fact]
    public async Task Streams_without_length_are_counted()
    {
        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => CappedContent.ReadAsBytesAsync(new MemoryStream(new byte[100_001]), 100_000));
        Assert.Null(e.AnnouncedLength);
        Assert.Equal(100_000, e.Limit);
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read()
    {
        var body = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
        Assert.Equal(body, await CappedContent.ReadAsBytesAsync(new MemoryStream(body), body.Length));
        Assert.Equal(body, await CappedContent.ReadAsBytesAsync(new ByteArrayContent(body), body.Length));
        Assert.Empty(await CappedContent.ReadAsBytesAsync((HttpContent?)null, 10));
    }

    [Fact]
    public async Task A_body_that_announces_its_length_is_read_into_one_array_of_that_size()
    {
        // A backfill page of ~6 MB: grown from 1 MB and copied out it allocated ~21 MB of large-object heap.
        var body = Enumerable.Range(0, 6_000_000).Select(i => (byte)(i * 7)).ToArray();
        using var stream = new MemoryStream(body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await CappedContent.ReadAsBytesAsync(stream, 64L * 1024 * 1024, body.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(body, read);
        Assert.InRange(allocated, body.Length, body.Length + 64 * 1024);
    }

    [Fact]
    public async Task A_body_shorter_or_longer_than_announced_is_read_as_it_came_within_the_limit()
    {
        var body = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
        Assert.Equal(body, await CappedContent.ReadAsBytesAsync(new MemoryStream(body), 100_000, expectedLength: 80_000));
        Assert.Equal(body, await CappedContent.ReadAsBytesAsync(new MemoryStream(body), 100_000, expectedLength: 20_000));
        Assert.Equal(body, await CappedContent.ReadAsBytesAsync(new MemoryStream(body), 50_000, expectedLength: 49_999));
        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => CappedContent.ReadAsBytesAsync(new MemoryStream(body), 40_000, expectedLength: 30_000));
        Assert.Equal(40_000, e.Limit);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => CappedContent.ReadAsBytesAsync(new MemoryStream(body), 49_999, expectedLength: 49_999));
    }
}
