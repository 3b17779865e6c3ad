namespace Commons.Node.Tests.Cli;

/// <summary>The admin commands against a stopped node (direct) and a running one (through its admin socket).</summary>
public sealed class CliCommandTests
{
    [Fact]
    public async Task Members_and_tokens_are_managed_from_the_command_line_offline()
    {
        using var temp = new TempFolder();
        var data = temp.Path;
        var init = await CommonsCli.RunAsync(data, "init", "--name", "Maison des Alternatives");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("Maison des Alternatives", init.Out);

        var again = await CommonsCli.RunAsync(data, "init");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already initialised", again.Out);

        var add = await CommonsCli.RunAsync(data, "member", "add", "lea", "--display-name", "Léa");
        Assert.Equal(0, add.ExitCode);
        Assert.Matches("one-time password: [A-Za-z0-9]{20}", add.Out);

        var duplicate = await CommonsCli.RunAsync(data, "member", "add", "lea");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("error: the username 'lea' is taken [conflict]", duplicate.Err.Trim());

        var list = await CommonsCli.RunAsync(data, "member", "list");
        Assert.Contains("lea", list.Out);
        Assert.Contains("admin", list.Out);
        Assert.DoesNotContain("pbkdf2", list.Out);

        var token = await CommonsCli.RunAsync(data, "token", "create", "lea", "--name", "script", "--scopes", "write");
        Assert.Equal(0, token.ExitCode);
        var secret = token.Out.Split('\n').Single(l => l.StartsWith("secret", StringComparison.Ordinal)).Split(": ")[1].Trim();
        var id = secret.Split('_')[1];
        var tokens = await CommonsCli.RunAsync(data, "token", "list");
        Assert.Contains(id, tokens.Out);
        Assert.DoesNotContain(secret, tokens.Out);
        Assert.Equal(0, (await CommonsCli.RunAsync(data, "token", "revoke", id)).ExitCode);
        Assert.Contains("revoked", (await CommonsCli.RunAsync(data, "token", "list", "lea")).Out);

        Assert.Equal(0, (await CommonsCli.RunAsync(data, "member", "disable", "lea")).ExitCode);
        Assert.Contains("disabled", (await CommonsCli.RunAsync(data, "member", "list")).Out);
        var reset = await CommonsCli.RunAsync(data, "member", "reset-password", "lea");
        Assert.Equal(0, reset.ExitCode);
        Assert.Contains("one-time password for lea", reset.Out);

        Assert.Equal(0, (await CommonsCli.RunAsync(data, "dataset", "list")).ExitCode);
        Assert.Equal(0, (await CommonsCli.RunAsync(data, "check")).ExitCode);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, 2, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "member", "add" }, 2, "error:")]
    [InlineData(new[] { "member", "add", "Not Valid!" }, 1, "a username is 1 to 32 characters")]
    [InlineData(new[] { "member", "disable", "nobody" }, 1, "no member 'nobody'")]
    [InlineData(new[] { "token", "create", "admin", "--name", "x", "--scopes", "root" }, 1, "unknown scope 'root'")]
    [InlineData(new[] { "token", "revoke", "0000000000000000" }, 1, "no token")]
    [InlineData(new[] { "restore", "/nonexistent/file.bak" }, 1, "cannot read")]
    public async Task A_wrong_command_prints_one_clear_line_and_exits_non_zero(string[] args, int code, string message)
    {
        using var temp = new TempFolder();
        Assert.Equal(0, (await CommonsCli.RunAsync(temp.Path, "init")).ExitCode);
        var result = await CommonsCli.RunAsync(temp.Path, args);
        Assert.Equal(code, result.ExitCode);
        var lines = result.Err.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(message, lines[0]);
    }

    [Fact]
    public async Task Commands_reach_a_running_node_through_its_admin_socket()
    {
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Path);
        var socket = Path.Combine(temp.Path, "run", "admin.sock");
        Assert.True(File.Exists(socket));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

        var add = await CommonsCli.RunAsync(temp.Path, "member", "add", "sam");
        Assert.True(add.ExitCode == 0, add.Err);
        var list = await CommonsCli.RunAsync(temp.Path, "member", "list");
        Assert.Contains("sam", list.Out);
        var failed = await CommonsCli.RunAsync(temp.Path, "member", "add", "sam");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("taken", failed.Err);

        // The admin route answers only on the socket, never over TCP.
        var overTcp = await node.Http.PostAsync("/_admin/cli", new StringContent("""{"args":["member","list"],"workingDirectory":"/"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, overTcp.StatusCode);
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_folder_refuses_to_start()
    {
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Path);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { NodeProcess.Dll, "serve", "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        NodeProcess.Environment(start, temp.Path);
        using var second = System.Diagnostics.Process.Start(start)!;
        var err = await second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("in use by another process", err);
    }
}
