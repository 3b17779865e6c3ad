using System.Text.RegularExpressions;
using Commons.Core.Errors;

namespace Commons.Core.Datasets;

public static partial class Slugs
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex Pattern();

    /// <summary>Slugs a dataset cannot take: their URL is a page of the interface (<c>/datasets/new</c> creates a dataset).</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal) { "new" };

    /// <summary>A slug: 1–64 of a-z, 0-9 and inner '-'; it names the dataset in URLs and federation handles.</summary>
    public static string Check(string? slug, string field = "slug")
    {
        if (slug is null || !Pattern().IsMatch(slug))
            throw ValidationException.For(field, "a slug is 1 to 64 characters of a-z, 0-9 and '-', not starting or ending with '-'");
        if (Reserved.Contains(slug))
            throw ValidationException.For(field, $"'{slug}' is reserved: /datasets/{slug} is a page of the interface");
        return slug;
    }
}
