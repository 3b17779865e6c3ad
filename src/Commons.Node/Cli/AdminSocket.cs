using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Commons.Node.Hosting;

namespace Commons.Node.Cli;

/// <summary>
/// Lets the CLI administer a running node. The node listens on a Unix socket inside its data folder (folder mode 0700,
/// socket 0600), so only the account that owns the data can use it; the CLI sends its arguments, the node runs the same
/// command in-process against its open store, and sends back the output and exit code.
/// </summary>
public static class AdminSocket
{
    public sealed record Request(string[] Args, string WorkingDirectory);
    public sealed record Response(int ExitCode, string Output, string Error);

    public static string SocketPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "run", "admin.sock");

    /// <summary>Creates the private run folder and clears a socket file left by a node that did not stop cleanly.</summary>
    public static string PrepareSocketPath(string dataDirectory)
    {
        var path = SocketPath(dataDirectory);
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(Path.GetDirectoryName(dir)!);
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.GetDirectoryName(dir)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // Only the holder of the store lock may replace the socket; a running node holds it, so it is never removed under a live node.
        if (File.Exists(path) && !StorageBackend.Folder.IsInUse(dataDirectory)) File.Delete(path);
        return path;
    }

    public static void Restrict(NodeOptions options)
    {
        var path = SocketPath(options.DataDirectory);
        if (options.AdminSocket && File.Exists(path) && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The node's side: run the command against this process's services.</summary>
    public static async Task<IResult> Handle(HttpContext http)
    {
        var request = await JsonSerializer.DeserializeAsync<Request>(http.Request.Body, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("empty admin request");
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(http.RequestServices, output, request.WorkingDirectory, insideRunningNode: true);
        var code = CliApp.Execute(request.Args, context, error);
        return Results.Json(new Response(code, output.ToString(), error.ToString()), JsonSerializerOptions.Web);
    }

    /// <summary>The CLI's side: send the command to the node running on this data folder.</summary>
    public static Response Send(string dataDirectory, string[] args)
    {
        var path = SocketPath(dataDirectory);
        if (!File.Exists(path))
            throw new CliException($"the node using {Path.GetFullPath(dataDirectory)} has no admin socket (Commons:AdminSocket is off); stop it, or use the API");
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            using var response = client.PostAsJsonAsync("http://node/_admin/cli", new Request(args, Environment.CurrentDirectory), JsonSerializerOptions.Web)
                .GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            return response.Content.ReadFromJsonAsync<Response>(JsonSerializerOptions.Web).GetAwaiter().GetResult()
                ?? throw new CliException("the node sent an empty answer");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the running node through {path}: {e.Message}");
        }
    }
}
