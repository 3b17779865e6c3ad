using System.Globalization;
using System.Text;
using Commons.Core.Nodes;
using Commons.Core.Store;
using Commons.Node.Auth;
using Commons.Node.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Commons.Node.Web.Admin;

/// <summary>
/// <c>POST /admin/backup/download</c>: the same backup as <c>commons-node backup FILE</c> (<see cref="IStoreBackup"/>: one
/// consistent snapshot taken under the store's write gate while the node keeps serving), written to a temporary file in
/// the data folder and streamed from disk to the administrator's browser as an attachment, then deleted. The snapshot
/// never waits on the network, and the backup is never held in memory.
/// </summary>
public static class BackupDownload
{
    public const string Path = "/admin/backup/download";
    public const string Extension = ".cbak";

    public static IEndpointRouteBuilder MapBackupDownload(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext http, IAntiforgery antiforgery, IStoreBackup backup, IOptions<NodeOptions> options, INodeStore nodes, TimeProvider clock) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            if (!http.Caller().CanAdminister) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var node = nodes.Get()?.Name ?? "uninitialised node";
            var now = clock.GetUtcNow();
            var temp = System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.DataDirectory), $".download-{Guid.NewGuid():N}{Extension}");
            try
            {
                backup.Write(temp, node, now);
                var file = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                    FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(node, now)}\"";
                http.Response.Headers.CacheControl = "no-store";
                return Results.Stream(file, "application/octet-stream");
            }
            catch
            {
                File.Delete(temp);
                File.Delete(temp + ".partial");
                throw;
            }
        }).RequireAuthorization(WebUi.Policy).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    /// <summary><c>commons-{node}-{yyyyMMddTHHmmssZ}.cbak</c>, the node's name reduced to lower-case ASCII letters, digits and dashes.</summary>
    public static string FileName(string node, DateTimeOffset at)
    {
        var name = new StringBuilder();
        foreach (var c in node.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') name.Append(c);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            else if (name.Length > 0 && name[^1] != '-') name.Append('-');
        }
        var slug = name.ToString().Trim('-');
        return $"commons-{(slug.Length == 0 ? "node" : slug)}-{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}{Extension}";
    }
}
