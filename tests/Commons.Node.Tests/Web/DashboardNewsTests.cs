using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Node.Hosting.Modules;
using Commons.Node.Tests.Support;
using Commons.Platform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Node.Tests.Web;

/// <summary>
/// The dashboard lists what the modules that are on have new for the signed-in member (ICommonsModule.DashboardItems):
/// all modules together, newest first, at most 10, in the page's language, each a link to its page on this node.
/// </summary>
public sealed partial class DashboardNewsTests(DashboardNewsTests.NewsNode node) : IClassFixture<DashboardNewsTests.NewsNode>
{
    /// <summary>When the test modules' news happened: hours before this instant.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 30, 12, 0, 0, TimeSpan.Zero);

    private static DashboardItem Item(string id, double hoursAgo, string path) =>
        new(new LocalizedText($"Nouvelle {id}", $"Nieuws {id}", $"News {id}"), path, Now.AddHours(-hoursAgo));

    /// <summary>A node with four test modules: two with news, one that fails, one left off; every one but "quiet" turned on.</summary>
    public sealed class NewsNode : NodeFactory
    {
        private bool _switched;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var configuration = new ConfigurationBuilder().Build();
            builder.ConfigureTestServices(services =>
            {
                // "news": 8 items for the administrator (one that leads off the node), none for anyone else.
                services.AddCommonsModule(new NewsModule("news", caller => caller.Role == Core.Members.MemberRole.Admin
                    ? [.. Enumerable.Range(1, 7).Select(i => Item($"n{i}", i, $"/news/{i}")), Item("elsewhere", 0.1, "https://elsewhere.example/news"), Item("protocol-relative", 0.2, "//elsewhere.example/news")]
                    : []), configuration);
                // "tidings": 5 items between the news' ones, for everyone.
                services.AddCommonsModule(new NewsModule("tidings", _ => [.. Enumerable.Range(1, 5).Select(i => Item($"t{i}", i - 0.5, $"/tidings/{i}?a=1&b=2"))]), configuration);
                services.AddCommonsModule(new NewsModule("broken", _ => throw new InvalidOperationException("a module whose news fails")), configuration);
                // "quiet" is off: its news, the newest of all, never shows.
                services.AddCommonsModule(new NewsModule("quiet", _ => [Item("quiet", 0, "/quiet")]), configuration);
            });
        }

        public async Task SwitchOnAsync()
        {
            if (_switched) return;
            using var admin = await AdminAsync();
            foreach (var name in new[] { "news", "tidings", "broken" })
                await Expect(await admin.PutAsync($"/api/admin/modules/{name}", Json("""{"enabled":true}""")), 200);
            _switched = true;
        }
    }

    /// <summary>A module that has nothing but news.</summary>
    private sealed class NewsModule(string name, Func<Caller, IReadOnlyList<DashboardItem>> items) : ICommonsModule
    {
        public string Name => name;
        public LocalizedText Title => new(name, name, name);
        public LocalizedText Description => new(name, name, name);
        public IReadOnlyList<DatasetKind> Kinds => [];
        public void AddServices(IServiceCollection services, IConfiguration configuration) { }
        public void MapApi(IEndpointRouteBuilder api) { }
        public Assembly? Pages => null;
        public IReadOnlyList<ModuleLink> Navigation => [];
        public System.CommandLine.Command? BuildCommand(Func<ModuleCommandContext> context) => null;
        public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Caller caller) => items(caller);
    }

    private async Task<string> DashboardAsync(string username, string password, string language)
    {
        await node.SwitchOnAsync();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = node.Address };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        Assert.Equal(302, await WebSignIn.PostAsync(node, username, password, browser));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The news lines as rendered: module, link, text, and the instant of their time element.</summary>
    private static List<(string Module, string Href, string Text, DateTimeOffset At)> Lines(string html) =>
        NewsLine().Matches(html).Select(m => (m.Groups["module"].Value, WebUtility.HtmlDecode(m.Groups["href"].Value), WebUtility.HtmlDecode(m.Groups["text"].Value),
            DateTimeOffset.Parse(WebUtility.HtmlDecode(m.Groups["at"].Value), System.Globalization.CultureInfo.InvariantCulture))).ToList();

    [Theory]
    [InlineData("en", "News from the modules", "News")]
    [InlineData("fr", "Nouvelles des modules", "Nouvelle")]
    [InlineData("nl", "Nieuws van de modules", "Nieuws")]
    public async Task The_ten_newest_items_of_the_modules_that_are_on_show_newest_first_in_the_page_language_as_links(string language, string heading, string word)
    {
        var html = await DashboardAsync("admin", NodeFactory.AdminPassword, language);

        Assert.Contains($"<h2 id=\"module-news-heading\">{heading}</h2>", html);
        var lines = Lines(html);
        // Newest first across both modules: t1 (0.5 h), n1 (1 h), t2 (1.5 h), n2, … — ten of the twelve that stay on the node.
        string[] expected = ["t1", "n1", "t2", "n2", "t3", "n3", "t4", "n4", "t5", "n5"];
        Assert.Equal(expected.Select(id => $"{word} {id}"), lines.Select(l => l.Text));
        Assert.Equal(expected.Select(id => id[0] == 't' ? $"/tidings/{id[1..]}?a=1&b=2" : $"/news/{id[1..]}"), lines.Select(l => l.Href));
        Assert.Equal(expected.Select(id => id[0] == 't' ? "tidings" : "news"), lines.Select(l => l.Module));
        Assert.Equal(lines.Select(l => l.At).OrderDescending(), lines.Select(l => l.At));
        // Off the node, from a module that is off, or from one that failed: not shown, and the page is whole.
        Assert.DoesNotContain("elsewhere.example", html);
        Assert.DoesNotContain("href=\"/quiet\"", html);
        Assert.Contains("id=\"your-datasets-heading\"", html);
    }

    [Fact]
    public async Task A_member_sees_only_the_news_the_modules_have_for_them()
    {
        var member = await node.CreateMemberAsync();

        var lines = Lines(await DashboardAsync(member, NodeFactory.MemberPassword, "en"));

        Assert.Equal(["tidings"], lines.Select(l => l.Module).Distinct());
        Assert.Equal(5, lines.Count);
    }

    [GeneratedRegex("""<li data-module="(?<module>[^"]+)">\s*<a href="(?<href>[^"]+)">(?<text>[^<]+)</a>\s*<span class="module-news-at"><time datetime="(?<at>[^"]+)">""")]
    private static partial Regex NewsLine();
}
