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
}
