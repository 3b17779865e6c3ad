using System.Buffers;

namespace Commons.Federation.Http;

/// <summary>Reads response bodies into memory up to a limit: Content-Length is checked first, then bytes are counted while streaming.</summary>
public static class CappedContent
{
    /// <exception cref="ResponseTooLargeException">The body is (or announces itself as) longer than <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAsBytesAsync(HttpContent? content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 0);
        if (content is null)
        {
            return [];
        }
        if (content.Headers.ContentLength is { } announced && announced > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, announced);
        }
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsBytesAsync(stream, maxBytes, content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end, refusing more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadAsBytesAsync(Stream stream, long maxBytes, long? expectedLength = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 0);
        var initial = (int)Math.Clamp(expectedLength ?? 16 * 1024, 0, Math.Min(maxBytes, 1024 * 1024));
        var output = new MemoryStream(initial);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return output.ToArray();
                }
                if (output.Length + read > maxBytes)
                {
                    throw new ResponseTooLargeException(maxBytes, null);
                }
                output.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
