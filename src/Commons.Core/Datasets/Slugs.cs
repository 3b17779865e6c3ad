using System.Text.RegularExpressions;
using Commons.Core.Errors;

namespace Commons.Core.Datasets;

public static partial class Slugs
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex Pattern();

    /// <summary>A slug: 1–64 of a-z, 0-9 and inner '-'; it names the dataset in URLs and federation handles.</summary>
    public static string Check(string? slug, string field = "slug")
    {
        if (slug is null || !Pattern().IsMatch(slug))
            throw ValidationException.For(field, "a slug is 1 to 64 characters of a-z, 0-9 and '-', not starting or ending with '-'");
        return slug;
    }
}
