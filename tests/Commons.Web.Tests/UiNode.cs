using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Commons.Node.Hosting.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Web.Tests;

/// <summary>A node on a real Kestrel socket (127.0.0.1, free port) with its own temporary data folder.</summary>
public sealed partial class UiNode : WebApplicationFactory<Commons.Node.Program>
{
    public const string AdminPassword = "admin-password-for-ui-tests";
    public const string MemberPassword = "member-password-for-ui-tests";

    private readonly Lock _gate = new();
    private Uri? _address;
    private int _counter;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-web-tests", Guid.NewGuid().ToString("N"));

    public UiNode() => UseKestrel(0);

    /// <summary>Modules built in besides the node's own (the test module), added as a module's registration adds it.</summary>
    public IReadOnlyList<Commons.Platform.ICommonsModule> Modules { get; init; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Commons:DataDirectory", DataDirectory);
        builder.UseSetting("Commons:AdminSocket", "false");
        builder.UseSetting("Commons:InitialAdminPassword", AdminPassword);
        builder.UseSetting("Commons:Security:PasswordIterations", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (Modules.Count > 0)
            builder.ConfigureTestServices(services =>
            {
                foreach (var module in Modules) services.AddCommonsModule(module, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
            });
    }

    public Uri Address
    {
        get
        {
            lock (_gate)
            {
                if (_address is not null) return _address;
                StartServer();
                var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                _address = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
                return _address;
            }
        }
    }

    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A browser-like client: cookies kept, redirects not followed (tests look at them).</summary>
    public Browser Browser(string? acceptLanguage = null)
    {
        var browser = new Browser(Address);
        if (acceptLanguage is not null) browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return browser;
    }

    /// <summary>A browser signed in through the sign-in page as <paramref name="username"/>.</summary>
    public async Task<Browser> SignedInAsync(string username, string password = MemberPassword, string? acceptLanguage = null)
    {
        var browser = Browser(acceptLanguage);
        var response = await browser.SignInAsync(username, password);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in of {username} failed: {response.StatusCode}");
        return browser;
    }

    public string CreateMember(MemberRole role = MemberRole.Member)
    {
        _ = Address;
        var username = Unique("m");
        Service<MemberService>().Register(username, null, MemberPassword, role);
        return username;
    }

    public static Caller Admin => new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public string CreateDataset(SharingPolicy policy, string title, params (string User, GrantRole Role)[] grants)
    {
        _ = Address;
        var slug = Unique("ds-");
        var datasets = Service<DatasetService>();
        datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(null, null, title), Policy = policy });
        foreach (var (user, role) in grants) datasets.SetGrant(Admin, slug, user, role);
        return slug;
    }

    public void AddRecords(string slug, int count, Func<int, string> json)
    {
        var records = Service<RecordService>();
        for (var i = 0; i < count; i++)
            records.Create(Admin, slug, null, JsonDocument.Parse(json(i)).RootElement.Clone());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>An HTTP client that behaves like a browser without script: it reads the antiforgery token from pages.</summary>
public sealed partial class Browser(HttpClient client, CookieContainer cookies, Uri address) : IDisposable
{
    public HttpClient Client => client;
    public CookieContainer Cookies => cookies;

    /// <summary>A browser of its own on a node: its own cookies, redirects not followed, asking for HTML.</summary>
    public Browser(Uri address) : this(new CookieContainer(), address) { }

    private Browser(CookieContainer cookies, Uri address) : this(HtmlClient(cookies, address), cookies, address) { }

    private static HttpClient HtmlClient(CookieContainer cookies, Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    /// <summary>The node's cookie <paramref name="logical"/> (Commons.Node.Http.CookieNames) as this browser holds it.</summary>
    public Cookie? Cookie(string logical) => cookies.GetCookies(address).FirstOrDefault(c => c.Name == CookieName(logical));

    /// <summary>The name a cookie has in a browser talking to this node over plain HTTP: it carries the port.</summary>
    public string CookieName(string logical) => $"port{address.Port}-{logical}";

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static string Token(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on the page");

    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        await client.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>Signs in through the page, as a person would; returns the response to the form post.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string username, string password)
    {
        var (_, html) = await GetAsync("/signin");
        return await PostFormAsync("/signin",
        [
            new("_handler", "signin"),
            new("__RequestVerificationToken", Token(html)),
            new("Form.Username", username),
            new("Form.Password", password),
        ]);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => client.Dispose();
}
