using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Xml.Linq;
using Commons.Modules.Map.Tiles;
using Commons.Platform;
using Commons.Web.Tests.Flow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The map over an administrator's tile server on a real node: the pages' CSP admits the tile server's origin in
/// img-src only while it is set and the map is on, and nothing else changes; Chromium loads the tiles from a tile
/// server on 127.0.0.1 under that CSP (no CSP report) and the drawing is not blank.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MapTilesBrowserTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    private WebApplication _tiles = null!;
    private readonly ConcurrentQueue<string> _asked = new();
    private string _tileOrigin = "";

    public async Task InitializeAsync()
    {
        _ = _node.Address;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _tiles = builder.Build();
        _tiles.MapGet("/{z:int}/{x:int}/{y:int}.png", (int z, int x, int y) =>
        {
            _asked.Enqueue($"{z}/{x}/{y}");
            return Results.Bytes(Tile(x, y), "image/png");
        });
        await _tiles.StartAsync();
        _tileOrigin = _tiles.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await _tiles.DisposeAsync();
        await _node.DisposeAsync();
    }

    private string Template => _tileOrigin + "/{z}/{x}/{y}.png";

    private static string Csp(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    [Fact]
    public async Task The_csp_admits_the_tile_server_only_while_it_is_set_and_the_map_is_on()
    {
        var modules = _node.Service<ModuleAdministration>();
        modules.Set(UiNode.Admin, "map", true);
        using var admin = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (plain, html) = await admin.GetAsync("/map/drawing");
        var original = Csp(plain);
        Assert.Contains("img-src 'self' data:;", original);
        Assert.DoesNotContain("127.0.0.1", original);
        Assert.DoesNotContain("<image", html);

        _node.Service<TileSettings>().Set(UiNode.Admin, Template, "© test tiles");
        foreach (var path in new[] { "/map/drawing", "/" })
        {
            var csp = Csp((await admin.GetAsync(path)).Response);
            Assert.Equal(original.Replace("img-src 'self' data:;", $"img-src 'self' data: {_tileOrigin};", StringComparison.Ordinal), csp);
        }
        var (_, page) = await admin.GetAsync("/map/drawing");
        var start = page.IndexOf("<svg", StringComparison.Ordinal);
        var svg = XDocument.Parse(page[start..(page.IndexOf("</svg>", start, StringComparison.Ordinal) + 6)]).Root!;
        Assert.Equal(12, svg.Descendants().Count(e => e.Name.LocalName == "image" && ((string?)e.Attribute("href"))!.StartsWith(_tileOrigin + "/12/", StringComparison.Ordinal)));

        modules.Set(UiNode.Admin, "map", false);
        Assert.Equal(original, Csp((await admin.GetAsync("/")).Response));
        modules.Set(UiNode.Admin, "map", true);
        Assert.Contains(_tileOrigin, Csp((await admin.GetAsync("/")).Response));
        _node.Service<TileSettings>().Clear(UiNode.Admin);
        Assert.Equal(original, Csp((await admin.GetAsync("/")).Response));
        Assert.DoesNotContain(_tileOrigin, (await admin.GetAsync("/map/drawing")).Html);
    }

    [ChromiumFact]
    public async Task Chromium_loads_the_tiles_under_the_csp_and_the_map_is_not_blank()
    {
        _node.Service<ModuleAdministration>().Set(UiNode.Admin, "map", true);
        _node.Service<TileSettings>().Set(UiNode.Admin, Template, "© test tiles");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 1280, 900);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);
        var loaded = new ConcurrentQueue<string>();
        page.Response += (_, r) => { if (r.Url.StartsWith(_tileOrigin, StringComparison.Ordinal) && r.Status == 200) loaded.Enqueue(r.Url); };
        await BrowserPageChecks.SignInAsAdminAsync(page);

        await page.GotoAsync("/map/drawing", new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal("Tuiles de carte\u00a0: © test tiles", (await page.Locator("#tile-attribution").InnerTextAsync()).Trim());
        // The browser's own record of what it fetched, awaited with a deadline.
        await page.WaitForFunctionAsync("o => performance.getEntriesByType('resource').filter(e => e.name.startsWith(o)).length >= 12", _tileOrigin,
            new() { Timeout = 30_000 });
        Assert.Equal(12, loaded.Distinct().Count());
        Assert.Equal(
            (from y in Enumerable.Range(1372, 4) from x in Enumerable.Range(2096, 3) select $"12/{x}/{y}").Order(StringComparer.Ordinal),
            _asked.Distinct().Order(StringComparer.Ordinal));
        var summary = Png.Read(await page.Locator("#tile-map").ScreenshotAsync());
        Assert.True(summary.DistinctColours >= 12 && summary.ShareNotBackground > 0.5, $"the tile map looks blank ({summary})");
        await BrowserPageChecks.NoViolationsAtBothWidthsAsync(page, "/map/drawing with tiles (fr)");
        Assert.Empty(blocked);
    }

    /// <summary>A 256 px tile of one colour per tile (so a missing tile shows), as an 8-bit RGB PNG.</summary>
    private static byte[] Tile(int x, int y)
    {
        var (r, g, b) = ((byte)(60 + x % 3 * 60), (byte)(80 + y % 4 * 40), (byte)(200 - (x + y) % 5 * 20));
        var raw = new byte[256 * (1 + 256 * 3)];
        for (var row = 0; row < 256; row++)
            for (var col = 0; col < 256; col++)
            {
                var at = row * (1 + 256 * 3) + 1 + col * 3;
                (raw[at], raw[at + 1], raw[at + 2]) = (r, g, b);
            }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, 256);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 256);
        (header[8], header[9]) = (8, 2);
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
