using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Turns a <see cref="RecordQuery"/> into a LiteDB query with keyset pagination: the cursor holds the last row's
/// sort value and id, and the next page starts strictly after it, so pages never skip or repeat rows while others write.
/// </summary>
internal static class RecordQueryRunner
{
    public static RecordPage Run(ILiteCollection<BsonDocument> col, RecordQuery query)
    {
        var conditions = new List<string> { "$.del = false" };
        var args = new BsonDocument();
        var n = 0;
        string Arg(BsonValue v) { var name = $"p{n++}"; args[name] = v; return "@" + name; }

        if (!query.IncludeUnshared) conditions.Add("$.shared = true");
        foreach (var f in query.Filters)
            conditions.Add($"{DataPath(f.Path)} = {Arg(JsonBson.ToBson(f.Value))}");
        foreach (var term in query.TextTerms)
            conditions.Add($"INDEXOF($.txt, {Arg(term)}) >= 0");

        var sortExpr = SortExpression(query.Sort);
        var desc = query.Sort.Descending;
        if (query.Cursor is { } cursor)
        {
            var (lastValue, lastId) = DecodeCursor(cursor);
            var cmp = desc ? "<" : ">";
            var v = Arg(lastValue);
            var id = Arg(lastId);
            conditions.Add(query.Sort.Key == SortKey.Id
                ? $"$._id {cmp} {id}"
                : $"({sortExpr} {cmp} {v} OR ({sortExpr} = {v} AND $._id {cmp} {id}))");
        }

        var where = BsonExpression.Create(string.Join(" AND ", conditions), args);
        var q = col.Query().Where(where);
        // Ties on the sort value are broken by id, as the cursor condition above expects. LiteDB orders by one
        // expression, so it orders by the array [value, id], which compares element by element.
        var orderExpr = query.Sort.Key == SortKey.Id ? sortExpr : $"[{sortExpr}, $._id]";
        var ordered = desc ? q.OrderByDescending(orderExpr) : q.OrderBy(orderExpr);
        var limit = query.Limit;
        var rows = ordered.Limit(limit + 1).ToList();

        var hasMore = rows.Count > limit;
        var page = rows.Take(limit).ToList();
        var next = hasMore && page.Count > 0 ? EncodeCursor(SortValue(page[^1], query.Sort), page[^1]["_id"].AsString) : null;
        return new RecordPage(page.Select(RecordBson.FromBson).ToList(), next);
    }

    private static string SortExpression(RecordSort sort) => sort.Key switch
    {
        SortKey.Id => "$._id",
        SortKey.CreatedAt => "$.ca",
        SortKey.UpdatedAt => "$.ua",
        SortKey.Revision => "$.rev",
        _ => DataPath(sort.DataPath!),
    };

    private static BsonValue SortValue(BsonDocument row, RecordSort sort) => sort.Key switch
    {
        SortKey.Id => row["_id"],
        SortKey.CreatedAt => row["ca"],
        SortKey.UpdatedAt => row["ua"],
        SortKey.Revision => row["rev"],
        _ => Walk(row["data"], sort.DataPath!),
    };

    private static BsonValue Walk(BsonValue v, string path)
    {
        foreach (var seg in path.Split('.'))
            v = v.IsDocument && v.AsDocument.TryGetValue(seg, out var next) ? next : BsonValue.Null;
        return v;
    }

    /// <summary>Data paths are checked by the caller to be dotted identifiers, so they are safe inside an expression.</summary>
    public static string DataPath(string path)
    {
        if (!IsSafePath(path)) throw ValidationException.For("field", $"'{path}' is not a field path (letters, digits and '_', joined by '.')");
        return "$.data." + path;
    }

    public static bool IsSafePath(string path) =>
        path.Length is > 0 and <= 200 && path.Split('.').All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(s[0]));

    private static string EncodeCursor(BsonValue value, string id)
    {
        var doc = new BsonDocument { ["v"] = value, ["i"] = id };
        return Convert.ToBase64String(BsonSerializer.Serialize(doc)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (BsonValue Value, string Id) DecodeCursor(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var doc = BsonSerializer.Deserialize(Convert.FromBase64String(b64));
            if (!doc.ContainsKey("v") || !doc["i"].IsString) throw new FormatException("not a cursor");
            return (doc["v"], doc["i"].AsString);
        }
        catch (Exception e) when (e is FormatException or LiteException or InvalidCastException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            throw ValidationException.For("cursor", "not a cursor this node gave out");
        }
    }
}
