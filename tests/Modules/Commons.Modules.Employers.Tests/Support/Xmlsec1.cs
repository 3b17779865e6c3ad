using System.Diagnostics;

namespace Commons.Modules.Employers.Tests.Support;

/// <summary>
/// Debian's <c>xmlsec1</c> (libxmlsec1 over OpenSSL), the independent verifier of the statements. Absent, the test
/// fails: .ci/run installs it, and a statement no independent verifier checked is not a tested statement.
/// </summary>
public static class Xmlsec1
{
    public static string Path { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "xmlsec1")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("xmlsec1 is not installed (apt-get install -y xmlsec1; .ci/run does it)");

    /// <summary>
    /// <c>xmlsec1 --verify</c> with the key pinned to <paramref name="publicKeyPem"/>: KeyInfo may only name a key
    /// (<c>--enabled-key-data key-name</c>), so the RSA key inside the statement is not trusted on its own word.
    /// </summary>
    public static (int ExitCode, string Output) Verify(string xml, string publicKeyPem)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = System.IO.Path.Combine(folder, "statement.xml");
            var key = System.IO.Path.Combine(folder, "node.pem");
            File.WriteAllText(file, xml);
            File.WriteAllText(key, publicKeyPem);
            var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--verify", "--enabled-key-data", "key-name", "--pubkey-pem", key, file }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(); throw new TimeoutException("xmlsec1 did not answer within 60 s"); }
            return (process.ExitCode, stdout + stderr.Result);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
