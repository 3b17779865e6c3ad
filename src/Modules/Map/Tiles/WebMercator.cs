namespace Commons.Modules.Map.Tiles;

/// <summary>
/// The Web-Mercator tile grid every common tile server uses (the "slippy map" scheme: zoom z has 2^z × 2^z tiles of
/// 256 px, x from 180° west, y from about 85.05° north). Geometry, not money: doubles are right here.
/// </summary>
public static class WebMercator
{
    public const int TileSize = 256;
    /// <summary>Beyond this latitude the projection is not defined (the grid is square).</summary>
    public const double MaxLatitude = 85.05112878;

    /// <summary>The pixel (at zoom <paramref name="z"/>, the whole world 256·2^z wide) where a point falls.</summary>
    public static (double X, double Y) Pixel(double latitude, double longitude, int z)
    {
        var lat = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var size = TileSize * Math.Pow(2, z);
        var x = (longitude + 180) / 360 * size;
        var y = (1 - Math.Log(Math.Tan(lat) + 1 / Math.Cos(lat)) / Math.PI) / 2 * size;
        return (x, y);
    }

    /// <summary>The tile holding a point at zoom <paramref name="z"/>.</summary>
    public static (int X, int Y) Tile(double latitude, double longitude, int z)
    {
        var (x, y) = Pixel(latitude, longitude, z);
        var last = (1 << z) - 1;
        return (Math.Clamp((int)Math.Floor(x / TileSize), 0, last), Math.Clamp((int)Math.Floor(y / TileSize), 0, last));
    }

    /// <summary>The tiles covering a box (south-west to north-east corners), column by column then row by row.</summary>
    public static IReadOnlyList<(int X, int Y)> Covering(double south, double west, double north, double east, int z)
    {
        var (x0, y0) = Tile(north, west, z);
        var (x1, y1) = Tile(south, east, z);
        var tiles = new List<(int, int)>();
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
                tiles.Add((x, y));
        return tiles;
    }
}
