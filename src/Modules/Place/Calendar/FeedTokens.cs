using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Calendar;

/// <summary>
/// The feeds' secret tokens in the place's documents, kept as their SHA-256 only: <c>calendar-feeds/{hash}</c> names the
/// feed a token opens, <c>calendar-targets/{kind}/{id}</c> the one token of a feed. Making a feed again replaces its
/// token in one transaction, so the old URL stops working at once.
/// </summary>
public sealed class FeedTokens(IModuleData data)
{
    private const string Feeds = "calendar-feeds";
    private const string Targets = "calendar-targets";

    public sealed record Stored(FeedTarget Target, string Language, DateTimeOffset Since, string By);

    /// <summary>A new random 256-bit token, base64url: the only copy leaves with the answer.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public Stored? Find(string token) =>
        token.Length is > 0 and <= 128 && data.Get(Feeds, Hash(token)) is { } doc ? Read(doc) : null;

    public Stored? Of(FeedTarget target) => data.Get(Targets, target.Key) is { } doc ? Read(doc) : null;

    /// <summary>Keeps <paramref name="token"/> as the feed's only token; the previous one opens nothing from now on.</summary>
    public void Replace(FeedTarget target, string token, string language, DateTimeOffset at, string by)
    {
        Remove(target);
        var hash = Hash(token);
        var doc = JsonSerializer.SerializeToElement(new { kind = target.Kind, id = target.Id, language, since = at, by, hash });
        data.Put(Feeds, hash, doc);
        data.Put(Targets, target.Key, doc);
    }

    public bool Remove(FeedTarget target)
    {
        if (data.Get(Targets, target.Key) is not { } doc) return false;
        data.Delete(Feeds, doc.GetProperty("hash").GetString()!);
        return data.Delete(Targets, target.Key);
    }

    private static Stored Read(JsonElement doc) => new(
        new FeedTarget(doc.GetProperty("kind").GetString()!, doc.GetProperty("id").GetString()!),
        doc.GetProperty("language").GetString()!, doc.GetProperty("since").GetDateTimeOffset(), doc.GetProperty("by").GetString()!);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
