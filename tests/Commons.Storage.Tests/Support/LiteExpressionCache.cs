using System.Collections;
using System.Reflection;
using LiteDB;

namespace Commons.Storage.Tests.Support;

/// <summary>
/// LiteDB parses, compiles and keeps for the life of the process every distinct expression text. A query that writes a
/// value into its text therefore leaks one compiled expression per value; tests count the cache to catch it.
/// </summary>
public static class LiteExpressionCache
{
    /// <summary>How many compiled expressions LiteDB keeps in this process (the private static caches of its expression types).</summary>
    public static int Count()
    {
        var caches = typeof(BsonExpression).Assembly.GetTypes()
            .Where(t => t.Name.StartsWith("BsonExpression", StringComparison.Ordinal) && !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(BindingFlags.NonPublic | BindingFlags.Static))
            .Select(f => f.GetValue(null)).OfType<ICollection>().ToList();
        Assert.NotEmpty(caches); // LiteDB changed how it caches: look again at how queries pass their values
        return caches.Sum(c => c.Count);
    }
}
