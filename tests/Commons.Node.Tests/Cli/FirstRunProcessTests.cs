using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// A newcomer's first <c>serve</c> (no configured administrator password): the node prints a one-time setup link on
/// stdout, keeps the code in run/setup-code (0600), sends pages to /setup and has no account for the API yet.
/// <c>init</c> still creates an administrator headless, with a generated password it prints.
/// </summary>
public sealed class FirstRunProcessTests
{
    [Fact]
    public async Task Serve_without_a_password_prints_a_setup_link_and_waits_for_the_setup_page()
    {
        using var temp = new TempFolder();
        var port = NodeProcess.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var a in new[] { NodeProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(a);
        start.Environment["COMMONS__DATADIRECTORY"] = temp.Path;
        start.Environment["COMMONS__ADMINSOCKET"] = "false";
        start.Environment["COMMONS__SECURITY__PASSWORDITERATIONS"] = "1000";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var link = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("/setup?code=", StringComparison.Ordinal) == true) link.TrySetResult(e.Data.Trim()); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var printed = await link.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith($"http://127.0.0.1:{port}/setup?code=", printed);
            var codeFile = Path.Combine(temp.Path, "run", "setup-code");
            Assert.Equal(printed[(printed.IndexOf("code=", StringComparison.Ordinal) + 5)..], File.ReadAllText(codeFile).Trim());
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(codeFile));

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try { if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) break; }
                catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the node did not become ready within 60 s");
                await Task.Delay(100);
            }
            var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = NodeProcess.AdminPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
            using var page = new HttpRequestMessage(HttpMethod.Get, "/");
            page.Headers.Accept.ParseAdd("text/html");
            var home = await http.SendAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Equal("/setup", home.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(printed).PathAndQuery)).StatusCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
                if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Init_still_creates_an_administrator_with_a_printed_one_time_password()
    {
        using var temp = new TempFolder();
        var init = await CommonsCli.RunAsync(temp.Path, "init", "--admin", "root");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("Administrator account: root", init.Out);
        Assert.Matches("One-time password: +[A-Za-z0-9]{20}", init.Out);
        Assert.False(File.Exists(Path.Combine(temp.Path, "run", "setup-code")));
    }
}
