using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Commons.Core.Federation;
using Commons.Federation.Delivery;

namespace Commons.Web.Tests;

/// <summary>Helpers of the administration tests.</summary>
public sealed partial class UiNode
{
    /// <summary>A browser signed in as the node's first administrator.</summary>
    public async Task<Browser> AdminBrowserAsync()
    {
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", AdminPassword)).StatusCode);
        return browser;
    }

    /// <summary>A browser signed in as a new member without the admin role.</summary>
    public async Task<Browser> MemberBrowserAsync()
    {
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(CreateMember(), MemberPassword)).StatusCode);
        return browser;
    }

    /// <summary>
    /// Deliveries the node gave up on, queued through the node's own outbox to inboxes that can never answer
    /// (<c>.invalid</c> names), then marked given up as the delivery worker marks them; a retry puts them back in the queue,
    /// where the worker's next failure only schedules another attempt.
    /// </summary>
    public IReadOnlyList<DeliveryItem> DeadLetters(int count, string error = "HTTP 403")
    {
        var activity = new JsonObject { ["type"] = "Create", ["id"] = $"{Address}changes/{Guid.NewGuid():N}", ["actor"] = $"{Address}actor" };
        var items = Service<Outbox>().Items("_node", activity, Enumerable.Range(0, count).Select(i => $"https://{Unique("peer")}.invalid/inbox")).ToList();
        var queue = Service<IDeliveryQueue>();
        queue.Enqueue(items.Select(i => i with { Dead = true, Attempts = 3, LastError = error }));
        return items;
    }
}

public sealed partial class Browser
{
    /// <summary>Posts a named Razor form of <paramref name="page"/> with the page's antiforgery token.</summary>
    public Task<HttpResponseMessage> PostPageFormAsync(string page, string handler, params (string Name, string Value)[] fields) =>
        PostFormFromAsync(page, page, handler, fields);

    /// <summary>Posts to <paramref name="target"/> with the antiforgery token of the form shown on <paramref name="page"/>.</summary>
    public async Task<HttpResponseMessage> PostFormFromAsync(string page, string target, string handler, params (string Name, string Value)[] fields)
    {
        var (_, html) = await GetAsync(page);
        return await PostFormAsync(target, [new("_handler", handler), new("__RequestVerificationToken", Token(html)), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    /// <summary>The ids of the rows of the table with id <paramref name="tableId"/> (rows carry <c>id="prefix-ID"</c>).</summary>
    public static IReadOnlyList<string> RowIds(string html, string tableId, string prefix)
    {
        var start = html.IndexOf($"id=\"{tableId}\"", StringComparison.Ordinal);
        if (start < 0) return [];
        var end = html.IndexOf("</table>", start, StringComparison.Ordinal);
        return Regex.Matches(html[start..end], $"<tr id=\"{Regex.Escape(prefix)}([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
    }
}
