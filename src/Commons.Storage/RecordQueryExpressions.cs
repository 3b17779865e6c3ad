using System.Collections.Concurrent;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The parsed LiteDB expressions of one record listing's shape (its terms, order and sort value), kept for the next
/// listing of the same shape. LiteDB 5 caches only the compiled delegate of an expression text: every
/// <see cref="BsonExpression.Create(string, BsonDocument)"/> tokenises and parses the text again, and a sorted page parsed
/// the sort key (a nested IIF) three to five times — more CPU than reading the page's documents.
/// <para>
/// An expression reads its parameters, when it runs, from the document it was parsed with (<see cref="Args"/>). So one
/// instance serves one listing at a time: <see cref="RecordQueryExpressionPool.Take"/> hands it out exclusively, the caller writes this listing's
/// values into <see cref="Args"/>, runs the query to its end and gives it back with <see cref="Return"/>. Listings
/// running at once of the same shape each get their own instance. Values are never written into the text, so the
/// number of shapes (and of LiteDB's compiled delegates) does not grow with the values.
/// </para>
/// </summary>
internal sealed class RecordQueryExpressions
{
    private readonly RecordQueryExpressionPool _pool;

    internal RecordQueryExpressions(RecordQueryExpressionPool pool, string shape, IReadOnlyList<string> terms, string order, string? sortValue)
    {
        _pool = pool;
        Shape = shape;
        Terms = terms.Select(t => BsonExpression.Create(t, Args)).ToArray();
        Order = BsonExpression.Create(order, Args);
        SortValue = sortValue is null ? null : BsonExpression.Create(sortValue);
    }

    internal string Shape { get; }

    /// <summary>The parameters every expression of this instance reads (<c>@p0</c>, <c>@p1</c>, …): overwrite them before each run.</summary>
    public BsonDocument Args { get; } = new();

    /// <summary>The query's terms, in the order given (LiteDB prefers the first of index terms of equal cost).</summary>
    public IReadOnlyList<BsonExpression> Terms { get; }

    public BsonExpression Order { get; }

    /// <summary>The value a row's cursor holds, for a sort by a data field.</summary>
    public BsonExpression? SortValue { get; }

    /// <summary>Back to its pool for the next listing of the shape, once the query that used it has been read to its end.</summary>
    public void Return() => _pool.GiveBack(this);
}

/// <summary>
/// The idle <see cref="RecordQueryExpressions"/> of one database, by shape. Each database has its own (so what one
/// database's listings keep neither fills nor empties another's, and the shapes go when the database is closed).
/// </summary>
internal sealed class RecordQueryExpressionPool(int maxShapes = RecordQueryExpressionPool.DefaultMaxShapes)
{
    /// <summary>Shapes kept at most; past it a listing parses its expressions itself, as LiteDB would (nothing is kept).</summary>
    internal const int DefaultMaxShapes = 1024;

    private readonly ConcurrentDictionary<string, ConcurrentBag<RecordQueryExpressions>> _idle = new(StringComparer.Ordinal);

    /// <summary>Parsed expressions for these texts, used by no one else until <see cref="RecordQueryExpressions.Return"/>.</summary>
    public RecordQueryExpressions Take(IReadOnlyList<string> terms, string order, string? sortValue)
    {
        var shape = string.Join('\n', terms) + "\n\n" + order + "\n\n" + sortValue;
        return _idle.TryGetValue(shape, out var idle) && idle.TryTake(out var ready) ? ready : new RecordQueryExpressions(this, shape, terms, order, sortValue);
    }

    internal void GiveBack(RecordQueryExpressions expressions)
    {
        if (_idle.TryGetValue(expressions.Shape, out var idle)) idle.Add(expressions);
        else if (_idle.Count < maxShapes) _idle.GetOrAdd(expressions.Shape, _ => []).Add(expressions);
    }

    /// <summary>Shapes kept now (tests).</summary>
    internal int ShapeCount => _idle.Count;
}
