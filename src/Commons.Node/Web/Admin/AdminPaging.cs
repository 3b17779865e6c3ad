namespace Commons.Node.Web.Admin;

/// <summary>Page numbers of the administration listings: 1-based in URLs, clamped to what exists.</summary>
public static class AdminPaging
{
    public const int Size = 25;

    public static int Pages(long count) => (int)Math.Max(1, (count + Size - 1) / Size);

    /// <summary>The page asked for, or the nearest one that exists.</summary>
    public static int Clamp(int? asked, long count) => Math.Clamp(asked ?? 1, 1, Pages(count));

    public static int Offset(int page) => (page - 1) * Size;
}
