using Microsoft.AspNetCore.DataProtection;

namespace Commons.Node.Web.Members;

/// <summary>
/// A secret shown once after a redirect (an invitation link, a generated password): the POST puts it in a short-lived,
/// encrypted, HttpOnly cookie scoped to the page's path, and the next GET of that page takes it out and deletes it.
/// </summary>
public static class OnceCookie
{
    private const string Name = "commons_once";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static void Put(HttpContext http, string path, string purpose, string secret)
    {
        var protector = Protector(http, purpose);
        http.Response.Cookies.Append(Name, protector.Protect(secret, DateTimeOffset.UtcNow + Lifetime), Options(http, path));
    }

    public static string? Take(HttpContext http, string path, string purpose)
    {
        if (http.Request.Cookies[Name] is not { Length: > 0 } sealedValue) return null;
        http.Response.Cookies.Delete(Name, Options(http, path));
        try { return Protector(http, purpose).Unprotect(sealedValue); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http, string purpose) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Commons.Web.Once", purpose).ToTimeLimitedDataProtector();

    private static CookieOptions Options(HttpContext http, string path) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = path,
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
