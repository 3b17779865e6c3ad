using System.Globalization;
using System.Text.RegularExpressions;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Query conditions whose values travel as parameters (<c>@0</c>), never in the expression's text. LiteDB's
/// <see cref="Query"/> writes the value into the text, and LiteDB parses, compiles (to a dynamic method) and caches every
/// distinct text for the life of the process: each value queried leaked one compiled expression and paid its compilation.
/// Here the text depends only on the field and the operator, so each shape is compiled once. Fields are our own constants,
/// never input. LiteDB's <c>Query.And</c>/<c>Or</c> join only the texts and drop the parameters, hence the own ones.
/// </summary>
public static partial class StoreQueries
{
    public static BsonExpression EQ(string field, BsonValue value) => Compare(field, "=", value);
    public static BsonExpression LT(string field, BsonValue value) => Compare(field, "<", value);
    public static BsonExpression LTE(string field, BsonValue value) => Compare(field, "<=", value);
    public static BsonExpression GT(string field, BsonValue value) => Compare(field, ">", value);
    public static BsonExpression GTE(string field, BsonValue value) => Compare(field, ">=", value);

    /// <summary>Inclusive at both ends, as <c>Query.Between</c>; on an indexed field one index range.</summary>
    public static BsonExpression Between(string field, BsonValue low, BsonValue high) =>
        BsonExpression.Create($"{field} BETWEEN @0 AND @1", low ?? BsonValue.Null, high ?? BsonValue.Null);

    public static BsonExpression In(string field, BsonArray values) => BsonExpression.Create($"{field} IN @0", values);

    public static BsonExpression And(params BsonExpression[] conditions) => Join("AND", conditions);
    public static BsonExpression Or(params BsonExpression[] conditions) => Join("OR", conditions);

    private static BsonExpression Compare(string field, string op, BsonValue value) =>
        BsonExpression.Create($"{field} {op} @0", value ?? BsonValue.Null);

    /// <summary>Joins conditions, renumbering each one's parameters after those of the conditions before it.</summary>
    private static BsonExpression Join(string op, BsonExpression[] conditions)
    {
        if (conditions.Length == 0) throw new ArgumentException("at least one condition", nameof(conditions));
        if (conditions.Length == 1) return conditions[0];
        var args = new List<BsonValue>();
        var texts = new List<string>(conditions.Length);
        foreach (var condition in conditions)
        {
            var offset = args.Count;
            texts.Add("(" + Parameter().Replace(condition.Source, m => "@" + (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + offset)) + ")");
            for (var i = 0; i < condition.Parameters.Count; i++) args.Add(condition.Parameters[i.ToString(CultureInfo.InvariantCulture)]);
        }
        return BsonExpression.Create(string.Join($" {op} ", texts), args.ToArray());
    }

    [GeneratedRegex(@"@(\d+)")]
    private static partial Regex Parameter();
}
