using System.Buffers.Text;
using System.Text;

namespace Commons.Federation.Http;

/// <summary>
/// Follows the HTTP/1.1 requests written to one connection, write by write, to tell <see cref="OneSendRequestStream"/>
/// when a request's first write may be held (its <c>Content-Length</c> body is still to come and the whole request fits)
/// and when the write that completes it has come. It reads only request heads: the request line and the
/// <c>Content-Length</c>, <c>Transfer-Encoding</c> and <c>Expect</c> fields. Once it meets something it cannot frame
/// (a chunked body, a head split over writes, more bytes than announced) it holds nothing more on that connection.
/// </summary>
internal sealed class RequestFraming
{
    public enum Decision
    {
        /// <summary>Send this write as it is.</summary>
        PassThrough,
        /// <summary>Keep this write: the request's body is incomplete.</summary>
        Hold,
        /// <summary>This write completes the held request: send it all.</summary>
        Complete,
    }

    private enum State { AtRequestStart, Holding, InBody, Unframed }

    private State _state = State.AtRequestStart;
    private long _bodyRemaining;

    /// <summary>Head and body of the request being held, in bytes.</summary>
    public int HeldRequestLength { get; private set; }

    public Decision Next(ReadOnlySpan<byte> write, int maxHeldBytes)
    {
        switch (_state)
        {
            case State.Holding:
                if (write.Length > _bodyRemaining)
                {
                    _state = State.Unframed;
                    return Decision.PassThrough;
                }
                _bodyRemaining -= write.Length;
                if (_bodyRemaining > 0)
                {
                    return Decision.Hold;
                }
                _state = State.AtRequestStart;
                return Decision.Complete;
            case State.InBody:
                _bodyRemaining -= write.Length;
                _state = _bodyRemaining switch { < 0 => State.Unframed, 0 => State.AtRequestStart, _ => State.InBody };
                return Decision.PassThrough;
            case State.AtRequestStart when write.Length > 0:
                return AtRequestStart(write, maxHeldBytes);
            default:
                return Decision.PassThrough;
        }
    }

    /// <summary>What is held is being sent before its body is complete (a flush): the rest of the body passes through.</summary>
    public void StopHolding()
    {
        if (_state == State.Holding)
        {
            _state = State.InBody;
        }
    }

    private Decision AtRequestStart(ReadOnlySpan<byte> write, int maxHeldBytes)
    {
        var headLength = write.IndexOf("\r\n\r\n"u8) + 4;
        if (headLength < 4 || !TryReadHead(write[..headLength], out var contentLength, out var expectsContinue))
        {
            _state = State.Unframed;
            return Decision.PassThrough;
        }
        var bodyRemaining = contentLength - (write.Length - headLength);
        if (bodyRemaining < 0)
        {
            _state = State.Unframed;
            return Decision.PassThrough;
        }
        if (bodyRemaining == 0)
        {
            return Decision.PassThrough;
        }
        _bodyRemaining = bodyRemaining;
        if (expectsContinue || write.Length + bodyRemaining > maxHeldBytes)
        {
            // An Expect: 100-continue head must reach the server before the body is written.
            _state = State.InBody;
            return Decision.PassThrough;
        }
        HeldRequestLength = write.Length + (int)bodyRemaining;
        _state = State.Holding;
        return Decision.Hold;
    }

    /// <summary>Reads a request head (request line to the empty line). False for a response, a chunked body or an unreadable length.</summary>
    private static bool TryReadHead(ReadOnlySpan<byte> head, out long contentLength, out bool expectsContinue)
    {
        contentLength = 0;
        expectsContinue = false;
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        if (!requestLine.EndsWith(" HTTP/1.1"u8) && !requestLine.EndsWith(" HTTP/1.0"u8))
        {
            return false;
        }
        var seenLength = false;
        var fields = head[(lineEnd + 2)..^2];
        while (!fields.IsEmpty)
        {
            lineEnd = fields.IndexOf("\r\n"u8);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (seenLength || !Utf8Parser.TryParse(value, out contentLength, out var consumed) || consumed != value.Length || contentLength < 0)
                {
                    return false;
                }
                seenLength = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                return false;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                expectsContinue = true;
            }
        }
        return true;
    }
}
