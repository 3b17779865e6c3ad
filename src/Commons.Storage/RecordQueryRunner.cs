using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Turns a <see cref="RecordQuery"/> into a LiteDB query with keyset pagination: the cursor holds the last row's
/// sort value and id, and the next page starts strictly after it, so pages never skip or repeat rows while others write.
/// The dataset is a range of the shared collection's primary key (<see cref="StoreLayout.RecordsOf"/>); that range is the
/// first term of every query, so LiteDB walks it on the PK index (its cost ties with any later <c>_id</c> term, and the
/// first one wins). Cursors carry the plain record id, never the dataset prefix.
/// <para>
/// The range is written into the expression as literals, not parameters, and every term is its own <c>Where</c>: LiteDB 5
/// caches parsed expressions by their text and, when it splits an <c>A AND B</c> predicate into terms, hands the terms
/// the parameters of the current query by writing them onto the cached sub-expressions, which concurrent queries of the
/// same text share. A parameterised range could then be evaluated with another query's bounds, that is another
/// dataset's records. Literal bounds make one cached expression per dataset (bounded), and cannot be swapped.
/// </para>
/// <para>
/// The other values (cursor, filters, search terms) are parameters of expressions parsed once per query shape and lent to
/// one query at a time (<see cref="RecordQueryExpressions"/>), each with its own parameter document.
/// </para>
/// </summary>
internal static class RecordQueryRunner
{
    public static RecordPage Run(ILiteCollection<BsonDocument> col, int datasetKey, RecordQuery query, RecordQueryExpressionPool expressions) =>
        Run(col, datasetKey, query, expressions, explain: false, out _);

    /// <summary>As above, first creating the index a sort by a data field can use (<see cref="RecordSortIndexes"/>). Under the store's gate.</summary>
    public static RecordPage Run(LiteDatabase db, int datasetKey, RecordQuery query, RecordQueryExpressionPool expressions)
    {
        if (query.Sort is { Key: SortKey.DataField, DataPath: { } path }) RecordSortIndexes.EnsureFor(db, datasetKey, DataPathChecked(path));
        return Run(db.GetCollection(StoreLayout.Records), datasetKey, query, expressions);
    }

    /// <summary>Also gives LiteDB's plan of the query (for tests that check the range is what the index walks).</summary>
    internal static RecordPage Run(ILiteCollection<BsonDocument> col, int datasetKey, RecordQuery query, RecordQueryExpressionPool expressions,
        bool explain, out BsonDocument? plan)
    {
        // The values go into a list first and into the parsed expressions' own parameters once those are taken.
        var values = new List<BsonValue>();
        string Arg(BsonValue v) { values.Add(v); return "@p" + (values.Count - 1); }
        var prefix = StoreLayout.RecordPrefix(datasetKey);
        var (low, high) = StoreLayout.RecordRange(datasetKey);
        var terms = new List<string>();
        var conditions = new List<string> { "$.del = false" };

        if (!query.IncludeUnshared) conditions.Add("$.shared = true");
        foreach (var f in query.Filters)
            conditions.Add($"{DataPath(f.Path)} = {Arg(JsonBson.ToBson(f.Value))}");
        foreach (var term in query.TextTerms)
            conditions.Add($"INDEXOF($.txt, {Arg(term)}) >= 0");

        var sortExpr = SortExpression(query.Sort);
        var desc = query.Sort.Descending;
        var cmp = desc ? "<" : ">";
        var byField = query.Sort.Key == SortKey.DataField;
        // A sort by a data field is one range of its key [ds, value, id] (RecordSortIndexes), the dataset's records from the
        // cursor on. It is the first term, so LiteDB walks it on the field's sort index when there is one (the index's
        // Between ties with the primary key's, and the first term wins) and stops after the page; without the index it is
        // a filter over the primary-key range. The primary-key range stays as a literal term either way (see above).
        if (byField)
        {
            var key = RecordSortIndexes.KeyExpression(query.Sort.DataPath!);
            if (query.Cursor is { } fieldCursor)
            {
                var (lastValue, lastId) = DecodeCursor(fieldCursor);
                var at = $"[{datasetKey}, {Arg(lastValue)}, {Arg(prefix + lastId)}]";
                terms.Add(desc ? $"{key} BETWEEN [{datasetKey}] AND {at}" : $"{key} BETWEEN {at} AND [{datasetKey + 1}]");
                conditions.Add($"{key} {cmp} {at}");
            }
            else terms.Add($"{key} BETWEEN [{datasetKey}] AND [{datasetKey + 1}]");
        }
        else if (query.Cursor is { } cursor)
        {
            var (lastValue, lastId) = DecodeCursor(cursor);
            var v = Arg(lastValue);
            var id = Arg(prefix + lastId);
            conditions.Add(query.Sort.Key == SortKey.Id
                ? $"$._id {cmp} {id}"
                : $"({sortExpr} {cmp} {v} OR ({sortExpr} = {v} AND $._id {cmp} {id}))");
        }
        terms.Add($"$._id BETWEEN \"{low}\" AND \"{high}\"");
        terms.AddRange(conditions);
        // Ties on the sort value are broken by id, as the cursor condition above expects. LiteDB orders by one
        // expression, so it orders by an array ([value, id], or the sort index's key), which compares element by element.
        var orderExpr = query.Sort.Key switch
        {
            SortKey.Id => sortExpr,
            SortKey.DataField => RecordSortIndexes.KeyExpression(query.Sort.DataPath!),
            _ => $"[{sortExpr}, $._id]",
        };

        var parsed = expressions.Take(terms, orderExpr, byField ? RecordSortIndexes.ValueExpression(query.Sort.DataPath!) : null);
        for (var i = 0; i < values.Count; i++) parsed.Args["p" + i] = values[i];
        var q = col.Query();
        foreach (var term in parsed.Terms) q = q.Where(term);
        var ordered = desc ? q.OrderByDescending(parsed.Order) : q.OrderBy(parsed.Order);
        var limit = query.Limit;
        var limited = ordered.Limit(limit + 1);
        plan = explain ? limited.GetPlan() : null;
        var rows = limited.ToList();

        var hasMore = rows.Count > limit;
        var page = rows.Take(limit).ToList();
        var next = hasMore && page.Count > 0 ? EncodeCursor(SortValue(page[^1], query.Sort, parsed.SortValue), StoreLayout.RecordIdOf(page[^1]["_id"].AsString)) : null;
        parsed.Return();
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

    private static BsonValue SortValue(BsonDocument row, RecordSort sort, BsonExpression? dataValue) => sort.Key switch
    {
        SortKey.Id => StoreLayout.RecordIdOf(row["_id"].AsString),
        SortKey.CreatedAt => row["ca"],
        SortKey.UpdatedAt => row["ua"],
        SortKey.Revision => row["rev"],
        _ => dataValue!.ExecuteScalar(row),
    };

    /// <summary>Data paths are checked by the caller to be dotted identifiers, so they are safe inside an expression.</summary>
    public static string DataPath(string path) => "$.data." + DataPathChecked(path);

    private static string DataPathChecked(string path) =>
        IsSafePath(path) ? path : throw ValidationException.For("field", $"'{path}' is not a field path (letters, digits and '_', joined by '.')");

    public static bool IsSafePath(string path) =>
        path.Length is > 0 and <= 200 && path.Split('.').All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(s[0]));

    private static string EncodeCursor(BsonValue value, string id)
    {
        var doc = new BsonDocument { ["v"] = value, ["i"] = id };
        return Convert.ToBase64String(BsonSerializer.Serialize(doc)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Longer than any cursor this node gives out for a sort value that fits in a request line.</summary>
    private const int MaxCursorLength = 8192;

    /// <summary>
    /// Total over every string: a cursor this node gave out, or <see cref="ProblemCodes.InvalidCursor"/>. The bytes are
    /// checked to be one whole BSON document before LiteDB reads them, as its reader trusts the length prefixes.
    /// </summary>
    internal static (BsonValue Value, string Id) DecodeCursor(string cursor)
    {
        if (cursor.Length is 0 or > MaxCursorLength || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw BadCursor();
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        var bytes = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, bytes, out var length) || length < 5
            || BitConverter.ToInt32(bytes, 0) != length || bytes[length - 1] != 0)
            throw BadCursor();
        BsonDocument doc;
        try
        {
            doc = BsonSerializer.Deserialize(bytes.AsSpan(0, length).ToArray());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever LiteDB's reader throws on bytes it did not write, the answer is the same: not a cursor.
            throw BadCursor();
        }
        if (doc.Count != 2 || !doc.TryGetValue("v", out var value) || !doc.TryGetValue("i", out var id) || !id.IsString
            || value.IsMinValue || value.IsMaxValue)
            throw BadCursor();
        return (value, id.AsString);
    }

    private static ValidationException BadCursor() =>
        ValidationException.For("cursor", "not a cursor this node gave out", ProblemCodes.InvalidCursor);
}
