using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Node.Web.Admin;
using Commons.Storage;

namespace Commons.Web.Tests;

/// <summary>/admin/backup over real HTTP: the download is the CLI's backup, consistent while writes go on, and restores.</summary>
public sealed class AdminBackupTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task A_backup_downloaded_while_records_are_written_verifies_and_restores()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Salles à prêter");
        _node.AddRecords(slug, 200, i => $$"""{"name":"Salle {{i}}"}""");
        _node.Service<IDomainRuleStore>().Save(new DomainRuleSettings { Blocked = ["kept-in-backup.example"] });
        var key = _node.Service<IDatasetStore>().Find(slug)!.Key;
        var records = _node.Service<IRecordStore>();
        using var browser = await _node.AdminBrowserAsync();
        var (page, html) = await browser.GetAsync("/admin/backup");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"action=\"{BackupDownload.Path}\"", html);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested) { _node.AddRecords(slug, 1, i => $$"""{"name":"written during the backup {{written}}"}"""); written++; }
            return written;
        });
        var before = records.Count(key);
        HttpResponseMessage response;
        var folder = Path.Combine(_node.DataDirectory, "..", Guid.NewGuid().ToString("N"));
        var file = Path.Combine(folder, "download.cbak");
        Directory.CreateDirectory(folder);
        try
        {
            response = await browser.PostFormAsync(BackupDownload.Path, [new("__RequestVerificationToken", Browser.Token(html))]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using (var output = File.Create(file)) await (await response.Content.ReadAsStreamAsync()).CopyToAsync(output);
        }
        finally
        {
            await stop.CancelAsync();
        }
        var during = await writer;
        var after = records.Count(key);

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.GetValues("Content-Disposition").Single();
        Assert.Matches(new Regex("""^attachment; filename="commons-[a-z0-9-]+-\d{8}T\d{6}Z\.cbak"$"""), disposition);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Empty(Directory.GetFiles(_node.DataDirectory, ".download-*")); // the temporary file is gone once sent

        var (summary, _) = Backup.Read(file); // the checksum and every section verify
        Assert.True(summary.Documents > 200);
        var restoredFolder = Path.Combine(folder, "restored");
        Backup.Restore(file, restoredFolder, replaceExisting: false, DateTimeOffset.UtcNow);
        using var restored = CommonsDatabase.Open(restoredFolder);
        var report = StoreChecker.Run(restored);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        var restoredCount = new LiteRecordStore(restored).Count(new LiteDatasetStore(restored).Find(slug)!.Key);
        Assert.InRange(restoredCount, before, after); // everything written before the download, nothing torn
        Assert.Contains("kept-in-backup.example", new LiteDomainRuleStore(restored).Get().Blocked);
        Assert.True(during > 0, "records were written while the backup was made");
        restored.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_download_without_the_antiforgery_token_is_refused()
    {
        using var browser = await _node.AdminBrowserAsync();
        var response = await browser.PostFormAsync(BackupDownload.Path, []);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task Signed_out_visitors_cannot_download()
    {
        using var browser = _node.Browser();
        var (_, signin) = await browser.GetAsync("/signin");
        var response = await browser.PostFormAsync(BackupDownload.Path, [new("__RequestVerificationToken", Browser.Token(signin))]);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    [Theory]
    [InlineData("Atelier Bücher & Cie", "commons-atelier-bucher-cie-20260301T120000Z.cbak")]
    [InlineData("   ", "commons-node-20260301T120000Z.cbak")]
    [InlineData("../../etc/passwd", "commons-etc-passwd-20260301T120000Z.cbak")]
    public void The_file_name_is_safe_ascii(string node, string expected) =>
        Assert.Equal(expected, BackupDownload.FileName(node, new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1))));
}
