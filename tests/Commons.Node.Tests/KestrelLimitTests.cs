using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// Over-long request lines and header blocks, sent as raw bytes on a TCP socket (HttpClient would refuse to send them),
/// and requests Kestrel cannot parse at all, are problem documents with a code; good answers pass untouched.
/// </summary>
public sealed class KestrelLimitTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    /// <summary>Sends the bytes and reads until the server closes the connection.</summary>
    private async Task<string> RawText(string request)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tcp.ConnectAsync(node.Address.Host, node.Address.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>Sends the bytes (which ask to close, or are refused), reads to the end of the connection, and splits status, headers and body.</summary>
    private async Task<(int Status, string Headers, string Body)> Raw(string request)
    {
        var text = await RawText(request);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no complete response: {text}");
        var headers = text[..split];
        var body = text[(split + 4)..];
        return (int.Parse(text.Split(' ', 3)[1]), headers,
            headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(body) : body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var eol = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..eol], 16);
            if (size == 0) return body.ToString();
            body.Append(chunked, eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }

    private static JsonObject Problem((int Status, string Headers, string Body) response, int status, string code)
    {
        Assert.True(response.Status == status, $"expected {status}: {response.Headers}\n{response.Body}");
        Assert.Contains("Content-Type: application/problem+json", response.Headers, StringComparison.OrdinalIgnoreCase);
        var problem = JsonNode.Parse(response.Body)!.AsObject();
        Assert.Equal(status, (int)problem["status"]!);
        Assert.Equal(code, (string)problem["code"]!);
        return problem;
    }

    private string Host => $"Host: {node.Address.Authority}\r\n";

    [Fact]
    public async Task A_20_KB_request_line_is_414_problem()
    {
        var response = await Raw($"GET /api/datasets?q={new string('a', 20 * 1024)} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n");
        Problem(response, 414, "uri_too_long");
    }

    [Fact]
    public async Task Forty_KB_of_headers_is_431_problem()
    {
        var headers = string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Filler-{i}: {new string('h', 1000)}\r\n"));
        var response = await Raw($"GET /healthz HTTP/1.1\r\n{Host}{headers}Connection: close\r\n\r\n");
        Problem(response, 431, "headers_too_large");
    }

    [Fact]
    public async Task A_request_just_under_the_limits_is_served()
    {
        var response = await Raw($"GET /healthz?pad={new string('a', 7 * 1024)} HTTP/1.1\r\n{Host}X-Pad: {new string('h', 30 * 1024)}\r\nConnection: close\r\n\r\n");
        Assert.True(response.Status == 200, response.Headers);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /healthz HTTP/1.1\r\nBad Header Without Colon\r\n\r\n", 400)]
    [InlineData("POST /inbox HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", 400)]
    [InlineData("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    public async Task A_request_kestrel_cannot_parse_is_a_problem_and_the_node_keeps_serving(string request, int status)
    {
        Problem(await Raw(request), status, "bad_request");
        using var client = node.Client();
        await NodeFactory.Expect(await client.GetAsync("/healthz"), 200);
    }

    [Fact]
    public async Task An_unknown_http_version_is_a_505_problem() =>
        Problem(await Raw($"GET /healthz HTTP/9.9\r\n{Host}\r\n"), 505, "http_version_not_supported");

    [Fact]
    public async Task Beyond_kestrels_own_ceiling_the_answers_are_still_problems()
    {
        Problem(await Raw($"GET /healthz?q={new string('a', 40 * 1024)} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"), 414, "uri_too_long");
        var headers = string.Concat(Enumerable.Range(0, 140).Select(i => $"X-Filler-{i}: {new string('h', 1000)}\r\n"));
        Problem(await Raw($"GET /healthz HTTP/1.1\r\n{Host}{headers}Connection: close\r\n\r\n"), 431, "headers_too_large");
    }

    [Fact]
    public async Task A_bad_request_after_a_good_one_on_the_same_connection_is_a_problem_and_the_good_answer_is_untouched()
    {
        var response = await RawText($"GET /healthz HTTP/1.1\r\n{Host}\r\nGARBAGE\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.Contains("\"status\":\"alive\"", response);
        var second = response.IndexOf("HTTP/1.1 400", StringComparison.Ordinal);
        Assert.True(second > 0, response);
        Assert.Contains("\"code\":\"bad_request\"", response[second..]);
    }
}
