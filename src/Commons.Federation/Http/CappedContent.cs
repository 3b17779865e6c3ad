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
        if (expectedLength is { } announced && announced > 0 && announced <= Math.Min(maxBytes, Array.MaxLength))
        {
            return await ReadAnnouncedAsync(stream, maxBytes, (int)announced, cancellationToken).ConfigureAwait(false);
        }
        var initial = (int)Math.Clamp(expectedLength ?? 16 * 1024, 0, Math.Min(maxBytes, 1024 * 1024));
        return await ReadRestAsync(stream, maxBytes, new MemoryStream(initial), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A body that announces its length (within the limit the caller accepts) is read into one array of that size. Grown
    /// from 1 MB and copied out, a 6 MB backfill page cost ~20 MB of large-object heap, and each such allocation brings
    /// the next full (generation 2) collection nearer. A body that ends early is returned as received; one that runs on
    /// past its announced length (a decoded body) continues into a growing buffer, still counted against the limit.
    /// </summary>
    private static async Task<byte[]> ReadAnnouncedAsync(Stream stream, long maxBytes, int announced, CancellationToken cancellationToken)
    {
        var body = GC.AllocateUninitializedArray<byte>(announced);
        var filled = 0;
        while (filled < body.Length)
        {
            var read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return body.AsSpan(0, filled).ToArray();
            }
            filled += read;
        }
        var probe = new byte[1];
        if (await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
        {
            return body;
        }
        if (body.Length + 1L > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes, null);
        }
        var output = new MemoryStream(body.Length * 2);
        output.Write(body);
        output.Write(probe);
        return await ReadRestAsync(stream, maxBytes, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadRestAsync(Stream stream, long maxBytes, MemoryStream output, CancellationToken cancellationToken)
    {
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
