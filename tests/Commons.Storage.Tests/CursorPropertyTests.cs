using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using FsCheck;
using FsCheck.Xunit;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// Cursors come from clients, so decoding one is total: any string gives either a page or the typed invalid-cursor
/// error (a 400), never another exception (a 500). Checked on random strings and on byte-level mutations of real cursors.
/// </summary>
public sealed class CursorPropertyTests : IDisposable
{
    private static readonly RecordSort[] Sorts =
    [
        RecordSort.Default,
        new(SortKey.CreatedAt, Descending: true),
        new(SortKey.Revision),
        new(SortKey.DataField, "name"),
        new(SortKey.DataField, "seats", Descending: true),
    ];

    private readonly TestNode _node = new();
    private readonly string[] _cursors;

    public CursorPropertyTests()
    {
        _node.CreateDataset("places");
        for (var i = 0; i < 4; i++)
        {
            _node.Records.Create(Admin, "places", $"p{i}", Body($$"""{ "name": "place {{i}}", "seats": {{i * 10}} }"""));
            _node.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        _cursors = Sorts.Select(s => _node.Records.List(Admin, "places", new RecordQuery { Sort = s, Limit = 1 }).NextCursor!).ToArray();
    }

    public void Dispose() => _node.Dispose();

    /// <summary>True when the listing gave a page or the invalid-cursor error; any other exception fails the property.</summary>
    private bool PageOrInvalidCursor(string cursor, RecordSort sort)
    {
        try
        {
            _node.Records.List(Admin, "places", new RecordQuery { Sort = sort, Limit = 2, Cursor = cursor });
            return true;
        }
        catch (ValidationException e) when (e.Code == ProblemCodes.InvalidCursor)
        {
            return true;
        }
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    private static byte[] Decode(string cursor)
    {
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64 + new string('=', (4 - b64.Length % 4) % 4));
    }

    [Fact]
    public void The_real_cursors_give_the_next_page()
    {
        for (var i = 0; i < Sorts.Length; i++)
            Assert.Single(_node.Records.List(Admin, "places", new RecordQuery { Sort = Sorts[i], Limit = 1, Cursor = _cursors[i] }).Items);
    }

    [Theory]
    [InlineData("____fwAAAAAAAAAA")]
    [InlineData("_____wAAAAAAAAAA")]
    [InlineData("BQAAAAA")]
    [InlineData("")]
    [InlineData("====")]
    [InlineData("a")]
    [InlineData("!!")]
    public void Crafted_cursors_are_invalid_cursor(string cursor)
    {
        var e = Assert.Throws<ValidationException>(() => _node.Records.List(Admin, "places", new RecordQuery { Cursor = cursor }));
        Assert.Equal(ProblemCodes.InvalidCursor, e.Code);
        Assert.Equal("cursor", e.Errors.Single().Path);
    }

    [Property(MaxTest = 300)]
    public bool Any_string_is_a_page_or_invalid_cursor(string? cursor, byte sort) =>
        PageOrInvalidCursor(cursor ?? "", Sorts[sort % Sorts.Length]);

    [Property(MaxTest = 300)]
    public bool Any_base64url_of_random_bytes_is_a_page_or_invalid_cursor(byte[]? bytes, byte sort) =>
        PageOrInvalidCursor(Encode(bytes ?? []), Sorts[sort % Sorts.Length]);

    [Property(MaxTest = 500)]
    public bool A_real_cursor_with_bytes_changed_is_a_page_or_invalid_cursor(byte which, NonNegativeInt at, byte value, byte times)
    {
        var i = which % Sorts.Length;
        var bytes = Decode(_cursors[i]);
        for (var n = 0; n <= times % 3; n++) bytes[(at.Get + n * 7) % bytes.Length] = (byte)(value + n);
        return PageOrInvalidCursor(Encode(bytes), Sorts[i]);
    }

    [Property(MaxTest = 300)]
    public bool A_real_cursor_cut_or_extended_is_a_page_or_invalid_cursor(byte which, int by)
    {
        var i = which % Sorts.Length;
        var bytes = Decode(_cursors[i]);
        var changed = by < 0 ? bytes[..Math.Max(0, bytes.Length + by % bytes.Length)] : [.. bytes, .. new byte[by % 16]];
        return PageOrInvalidCursor(Encode(changed), Sorts[i]);
    }
}
