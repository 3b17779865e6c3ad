using System.Net;
using System.Text;
using Commons.Federation.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Commons.Federation.Tests.Http;

public sealed class OneSendRequestStreamTests : IDisposable
{
    private readonly WireMock.Server.WireMockServer _peer = HttpTest.StartPeer();

    public OneSendRequestStreamTests()
    {
        _peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        _peer.Given(Request.Create().WithPath("/hello").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("hello"));
    }

    public void Dispose() => _peer.Stop();

    private static byte[] Body(int length) => Encoding.ASCII.GetBytes(new string('b', length));

    private static byte[] Head(string method, long? contentLength, params string[] fields)
    {
        var text = new StringBuilder($"{method} /inbox HTTP/1.1\r\nHost: peer.test\r\n");
        if (contentLength is { } length)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        }
        foreach (var field in fields)
        {
            text.Append(field).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }

    [Fact]
    public async Task The_federation_handler_writes_each_post_of_a_signed_activity_size_to_the_socket_at_once()
    {
        // SocketsHttpHandler's 4 KB write buffer splits a ~6 KB request into two socket writes; this is the guard's reason.
        var writes = new List<int>();
        using var handler = SafeHttpHandlerFactory.Create(HttpTest.Options(o => o.AllowPrivateNetworks = true));
        var connect = handler.ConnectCallback!;
        handler.ConnectCallback = async (context, ct) => new RecordingStream(await connect(context, ct), writes);
        using var client = new HttpClient(handler);
        var body = Body(5_900);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync($"http://127.0.0.1:{_peer.Port()}/inbox", new ByteArrayContent(body));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Equal("hello", await client.GetStringAsync($"http://127.0.0.1:{_peer.Port()}/hello"));

        Assert.Equal(4, writes.Count); // three POSTs and the GET, one write each, over one pooled connection
        Assert.All(writes.Take(3), length => Assert.True(length > body.Length, $"a write of {length} bytes"));
        var posts = _peer.LogEntries.Where(e => e.RequestMessage!.Method == "POST").ToList();
        Assert.Equal(3, posts.Count);
        Assert.All(posts, e => Assert.Equal(body, e.RequestMessage!.BodyAsBytes));
    }

    [Fact]
    public async Task Over_tls_each_post_goes_in_one_record_and_one_write()
    {
        // Production peers are reached over https: the request is joined above TLS, so it is one record and one send.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var peer = WireMock.Server.WireMockServer.Start(new WireMock.Settings.WireMockServerSettings
        {
            Urls = [$"https://127.0.0.1:{HttpTest.FreePort()}"],
            StartAdminInterface = false,
            CertificateSettings = new WireMock.Settings.WireMockCertificateSettings { X509Certificate = certificate },
        });
        try
        {
            peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
            var writes = new List<int>();
            using var handler = SafeHttpHandlerFactory.Create(HttpTest.Options(o => o.AllowPrivateNetworks = true));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the certificate made above
            var connect = handler.ConnectCallback!;
            handler.ConnectCallback = async (context, ct) => new RecordingStream(await connect(context, ct), writes);
            using var client = new HttpClient(handler);
            var body = Body(5_900);
            var url = $"https://127.0.0.1:{peer.Ports[0]}/inbox";

            (await client.PostAsync(url, new ByteArrayContent(body))).Dispose(); // the handshake's writes, then the request
            var afterFirst = writes.Count;
            for (var i = 0; i < 2; i++)
            {
                using var response = await client.PostAsync(url, new ByteArrayContent(body));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            Assert.Equal(2, writes.Count - afterFirst);
            Assert.All(peer.LogEntries, e => Assert.Equal(body, e.RequestMessage!.BodyAsBytes));
        }
        finally
        {
            peer.Stop();
        }
    }

    [Fact]
    public void A_head_whose_body_is_still_to_come_is_held_until_the_body_is_complete()
    {
        var writes = new List<int>();
        using var stream = new OneSendRequestStream(new RecordingStream(Stream.Null, writes));
        var head = Head("POST", 6_000);

        stream.Write([.. head, .. Body(4_096 - head.Length)]);
        Assert.Empty(writes);
        stream.Write(Body(1_000));
        Assert.Empty(writes);
        stream.Write(Body(6_000 - (4_096 - head.Length) - 1_000));

        Assert.Equal([head.Length + 6_000], writes);
    }

    [Fact]
    public async Task Requests_without_a_body_or_expecting_100_continue_go_at_once_and_the_next_request_is_framed_again()
    {
        var writes = new List<int>();
        await using var stream = new OneSendRequestStream(new RecordingStream(Stream.Null, writes));

        await stream.WriteAsync(Head("GET", null));
        Assert.Single(writes);
        var expecting = Head("POST", 100, "Expect: 100-continue");
        await stream.WriteAsync(expecting);
        Assert.Equal(2, writes.Count);
        await stream.WriteAsync(Body(100));
        Assert.Equal(3, writes.Count);

        // Framing kept through both: the next request with a body is held and sent whole.
        var head = Head("POST", 10);
        await stream.WriteAsync(head);
        await stream.WriteAsync(Body(10));
        Assert.Equal([head.Length + 10], writes.Skip(3));
    }

    [Fact]
    public void A_chunked_request_or_an_unreadable_head_stops_holding_on_that_connection()
    {
        var writes = new List<int>();
        using var stream = new OneSendRequestStream(new RecordingStream(Stream.Null, writes));

        stream.Write(Head("POST", null, "Transfer-Encoding: chunked"));
        stream.Write(Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\n\r\n"));
        stream.Write(Head("POST", 10)); // would be held on a framed connection

        Assert.Equal(3, writes.Count);
    }

    [Fact]
    public void A_request_larger_than_the_limit_is_written_as_it_comes()
    {
        var writes = new List<int>();
        using var stream = new OneSendRequestStream(new RecordingStream(Stream.Null, writes));
        var length = OneSendRequestStream.MaxHeldBytes;

        stream.Write(Head("POST", length));
        stream.Write(Body(length));
        var head = Head("POST", 10);
        stream.Write(head);
        stream.Write(Body(10));

        Assert.Equal(3, writes.Count);
        Assert.Equal(head.Length + 10, writes[2]);
    }

    [Fact]
    public void A_flush_sends_what_is_held()
    {
        var writes = new List<int>();
        using var stream = new OneSendRequestStream(new RecordingStream(Stream.Null, writes));
        var head = Head("POST", 10);

        stream.Write(head);
        stream.Flush();
        Assert.Equal([head.Length], writes);
        stream.Write(Body(10));
        Assert.Equal([head.Length, 10], writes);
    }

    /// <summary>Counts the writes that reach the stream below (the socket's sends).</summary>
    private sealed class RecordingStream(Stream inner, List<int> writes) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (writes) writes.Add(buffer.Length);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (writes) writes.Add(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
