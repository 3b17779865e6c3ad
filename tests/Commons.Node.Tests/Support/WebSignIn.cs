using System.Net;
using System.Text.RegularExpressions;

namespace Commons.Node.Tests.Support;

/// <summary>Signs in through the web page as a browser without script would: the page's antiforgery token, then the form.</summary>
public static partial class WebSignIn
{
    /// <summary>The status of the form post: 302 when signed in, 401 for a wrong password, 429 when throttled.</summary>
    /// <param name="browser">A client whose cookies should keep the session; by default a fresh one, dropped after.</param>
    public static async Task<int> PostAsync(NodeFactory node, string username, string password, HttpClient? browser = null)
    {
        using var own = browser is null ? new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = node.Address,
            Timeout = TimeSpan.FromSeconds(60),
        } : null;
        var client = browser ?? own!;
        if (own is not null) client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var html = await client.GetStringAsync("/signin");
        var token = TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on /signin");
        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(
        [
            new("_handler", "signin"),
            new("__RequestVerificationToken", token),
            new("Form.Username", username),
            new("Form.Password", password),
        ]));
        return (int)response.StatusCode;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
