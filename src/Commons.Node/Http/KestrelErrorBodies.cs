using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Commons.Node.Http;

/// <summary>
/// Gives Kestrel's own error answers a problem document. Kestrel refuses a request it cannot parse (a malformed request
/// line, a bad header, limits beyond the ceiling) before any middleware runs, writing a bare <c>4xx</c> with
/// <c>Content-Length: 0</c>, and offers no hook for the body. So each connection's output is watched: bytes written while
/// no request is in the application (the pipeline marks its requests until their response has completed) can only be
/// Kestrel's own answer, and an empty HTTP/1.1 4xx or 505 among them is rewritten with a problem body. Everything else
/// passes through untouched and in order (an HTTP/2 preface's answer, which is not a status line, included).
/// </summary>
public static class KestrelErrorBodies
{
    private sealed class ConnectionState
    {
        public volatile bool InApplication;
    }

    public static void Watch(ListenOptions listen) => listen.Use(next => async connection =>
    {
        var state = new ConnectionState();
        connection.Items[typeof(ConnectionState)] = state;
        var transport = connection.Transport;
        connection.Transport = new Duplex(transport.Input, new RewritingWriter(transport.Output, state));
        await next(connection);
    });

    /// <summary>First in the pipeline: marks the connection busy with an application request until its response has been sent.</summary>
    public static IApplicationBuilder UseKestrelErrorBodies(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ConnectionState), out var found) == true && found is ConnectionState state)
        {
            state.InApplication = true;
            http.Response.OnCompleted(() =>
            {
                state.InApplication = false;
                return Task.CompletedTask;
            });
        }
        await next(http);
    });

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>Holds what is written outside an application request until the flush, then forwards it, rewritten if it is an empty 4xx.</summary>
    private sealed class RewritingWriter(PipeWriter inner, ConnectionState state) : PipeWriter
    {
        private ArrayBufferWriter<byte>? _held;
        private bool _holding;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _holding = !state.InApplication;
            if (_holding) return (_held ??= new ArrayBufferWriter<byte>()).GetMemory(sizeHint);
            // Bytes held earlier go first, so the stream keeps its order (HTTP/2 writes frames between requests).
            Release();
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (_holding) _held!.Advance(bytes);
            else inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // Kestrel asks the transport how much is unflushed (System.Text.Json decides when to flush by it).
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        private void Release()
        {
            if (_held is not { WrittenCount: > 0 } held) return;
            var bytes = held.WrittenSpan;
            if (WithProblemBody(bytes) is { } rewritten) inner.Write(rewritten);
            else inner.Write(bytes);
            held.Clear();
        }
    }

    /// <summary>The response with a problem body, or null when the bytes are not exactly one empty HTTP/1.1 4xx (or 505).</summary>
    internal static byte[]? WithProblemBody(ReadOnlySpan<byte> bytes)
    {
        if (!(bytes.StartsWith("HTTP/1.1 4"u8) || bytes.StartsWith("HTTP/1.1 505 "u8)) || !bytes.EndsWith("\r\n\r\n"u8) || bytes.IndexOf("\r\n\r\n"u8) != bytes.Length - 4) return null;
        var lines = Encoding.ASCII.GetString(bytes[..^4]).Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], out var status)) return null;
        var lengthLine = Array.FindIndex(lines, l => l.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase));
        if (lengthLine < 0 || lines.Any(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))) return null;

        var title = statusLine.Length > 2 ? statusLine[2] : "Bad request";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = status switch
            {
                414 => "the request line is too long",
                431 => "the request headers are too large",
                505 => "only HTTP/1.1 (and HTTP/1.0) are spoken here",
                _ => "the request could not be read as HTTP",
            },
            ["code"] = ProblemCodes.ForStatus(status),
        });
        lines[lengthLine] = $"Content-Length: {body.Length}\r\nContent-Type: application/problem+json";
        return [.. Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. body];
    }
}
