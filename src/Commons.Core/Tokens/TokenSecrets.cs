using System.Security.Cryptography;
using System.Text;

namespace Commons.Core.Tokens;

/// <summary>Creates and parses token secrets of the form <c>{prefix}_{id}_{secret}</c>; stores only SHA-256 hashes.</summary>
public static class TokenSecrets
{
    public const string AccessPrefix = "cnpat";
    public const string RefreshPrefix = "cnrt";

    public static (string Id, string Secret, string Hash) New(string prefix)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var full = $"{prefix}_{id}_{secret}";
        return (id, full, HashOf(full));
    }

    public static bool TryParse(string presented, string prefix, out string id)
    {
        id = "";
        // The secret is base64url and may itself contain '_': only the first two separate.
        var parts = presented.Split('_', 3);
        if (parts.Length != 3 || parts[0] != prefix || parts[1].Length != 16) return false;
        id = parts[1];
        return true;
    }

    public static string HashOf(string full) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));

    public static bool Matches(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
