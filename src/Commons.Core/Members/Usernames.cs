using System.Text.RegularExpressions;
using Commons.Core.Errors;

namespace Commons.Core.Members;

public static partial class Usernames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,31}$")]
    private static partial Regex Pattern();

    /// <summary>Lower-cases and checks a username: 1–32 of a-z 0-9 _ . -, starting with a letter or digit.</summary>
    public static string Normalize(string? username, string field = "username")
    {
        var u = (username ?? "").Trim().ToLowerInvariant();
        if (!Pattern().IsMatch(u))
            throw ValidationException.For(field, "a username is 1 to 32 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit");
        return u;
    }
}
