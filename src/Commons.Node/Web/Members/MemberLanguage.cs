using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Node.Auth;
using Microsoft.AspNetCore.Localization;

namespace Commons.Node.Web.Members;

/// <summary>A signed-in member's own language: it comes before the <c>lang</c> cookie and Accept-Language, on every device.</summary>
public static class MemberLanguage
{
    /// <summary>The signed-in member's preferred language, when the interface speaks it.</summary>
    public static Task<ProviderCultureResult?> OfSignedInMember(HttpContext http)
    {
        var username = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(ClaimNames.Subject)?.Value : null;
        var language = username is null ? null : http.RequestServices.GetRequiredService<IMemberStore>().Find(username)?.PreferredLanguage;
        return Task.FromResult(language is not null && WebUi.Languages.Contains(language) ? new ProviderCultureResult(language) : null);
    }

    /// <summary>The header's language switcher, used while signed in, also changes the member's preference.</summary>
    public static void Remember(HttpContext http, string language)
    {
        if (http.User.Identity?.IsAuthenticated == true && http.User.FindFirst(ClaimNames.Subject)?.Value is { } username)
            http.RequestServices.GetRequiredService<MemberService>().SetPreferredLanguage(username, language);
    }
}
