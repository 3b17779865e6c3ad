namespace Commons.Web.Tests.Flow;

/// <summary>A fresh machine without Chromium skips the browser tests with a way to enable them; CI never skips them.</summary>
public sealed class ChromiumSkipTests
{
    private static readonly string Missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "no-chromium-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("1")]
    public void Missing_chromium_outside_ci_skips_with_how_to_enable(string? ci)
    {
        var reason = Chromium.SkipReasonFor(Missing, ci);

        Assert.NotNull(reason);
        Assert.Contains(Missing, reason);
        Assert.Contains("apt-get install -y chromium", reason);
        Assert.Contains(Chromium.PathVariable, reason);
        Assert.DoesNotContain('\n', reason);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void Missing_chromium_under_ci_is_not_skipped_so_the_tests_fail(string ci) =>
        Assert.Null(Chromium.SkipReasonFor(Missing, ci));

    /// <summary>Skipped, named by the reason, where the browser tests are skipped; fails under CI without Chromium.</summary>
    [ChromiumNotice]
    public void Chromium_is_there_for_the_browser_tests() =>
        Assert.True(File.Exists(Chromium.Path), $"{Chromium.Path} is missing: apt-get install -y chromium (.ci/run does), or set {Chromium.PathVariable}");

    [Fact]
    public void Present_chromium_runs_the_tests()
    {
        using var file = new TempFile();
        Assert.Null(Chromium.SkipReasonFor(file.Path, null));
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();
        public void Dispose() => File.Delete(Path);
    }
}
