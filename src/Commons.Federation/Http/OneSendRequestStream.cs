namespace Commons.Federation.Http;

/// <summary>
/// The plain-text stream of an HTTP/1.1 connection of the federation handler (its <c>PlaintextStreamFilter</c>, above TLS):
/// it writes a request whose body has a <c>Content-Length</c> in one write (one send, or one TLS record) instead of two. SocketsHttpHandler writes a request through a 4 KB
/// buffer, so a signed activity of a few KB reached the socket as the buffer's first 4 KB (headers and the body's start)
/// and then the rest: two sends, two TCP segments, and often two wake-ups of the receiver for each delivery. Here the
/// first write is held while the body its head announces is incomplete (up to <see cref="MaxHeldBytes"/>), and goes out
/// with the write that completes it. Nothing else changes: reads pass through; a request without a body, a chunked one,
/// one that expects <c>100-continue</c>, a larger one, and anything this stream cannot frame are passed through as written
/// (the last for the rest of the connection). Hand-written because neither SocketsHttpHandler nor a served package lets
/// the request write buffer be sized.
/// </summary>
public sealed class OneSendRequestStream(Stream inner) : Stream
{
    /// <summary>The largest request (head and body) held back to go in one write.</summary>
    public const int MaxHeldBytes = 16 * 1024;

    private readonly Stream _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly RequestFraming _framing = new();
    // Owned by the connection for its lifetime (not pooled): a cancelled request disposes the stream from another thread.
    private byte[] _held = [];
    private int _heldLength;

    public override bool CanRead => _inner.CanRead;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => _inner.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        switch (Take(buffer))
        {
            case Step.Held:
                return;
            case Step.SendHeld:
                _inner.Write(TakeHeld().Span);
                return;
            case Step.SendHeldThenWrite:
                _inner.Write(TakeHeld().Span);
                _inner.Write(buffer);
                return;
            default:
                _inner.Write(buffer);
                return;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Take(buffer.Span) switch
    {
        Step.Held => default,
        // The held array is not written to again before this completes: HttpConnection awaits each write.
        Step.SendHeld => _inner.WriteAsync(TakeHeld(), cancellationToken),
        Step.SendHeldThenWrite => SendHeldThenWriteAsync(TakeHeld(), buffer, cancellationToken),
        _ => _inner.WriteAsync(buffer, cancellationToken),
    };

    private async ValueTask SendHeldThenWriteAsync(ReadOnlyMemory<byte> held, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(held, cancellationToken).ConfigureAwait(false);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A flush sends what is held; the rest of that body then passes through.</summary>
    public override void Flush()
    {
        if (_heldLength > 0)
        {
            _framing.StopHolding();
            _inner.Write(TakeHeld().Span);
        }
        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_heldLength > 0)
        {
            _framing.StopHolding();
            await _inner.WriteAsync(TakeHeld(), cancellationToken).ConfigureAwait(false);
        }
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();

    private enum Step { PassThrough, Held, SendHeld, SendHeldThenWrite }

    private Step Take(ReadOnlySpan<byte> write)
    {
        var wasHolding = _heldLength > 0;
        switch (_framing.Next(write, MaxHeldBytes))
        {
            case RequestFraming.Decision.Hold:
                Append(write);
                return Step.Held;
            case RequestFraming.Decision.Complete:
                Append(write);
                return Step.SendHeld;
            default:
                return wasHolding ? Step.SendHeldThenWrite : Step.PassThrough;
        }
    }

    private void Append(ReadOnlySpan<byte> write)
    {
        if (_held.Length < _heldLength + write.Length)
        {
            // Sized by the first request held; grown only if a later one is larger (up to MaxHeldBytes).
            Array.Resize(ref _held, Math.Max(_heldLength + write.Length, _framing.HeldRequestLength));
        }
        write.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += write.Length;
    }

    private ReadOnlyMemory<byte> TakeHeld()
    {
        var held = _held.AsMemory(0, _heldLength);
        _heldLength = 0;
        return held;
    }
}
