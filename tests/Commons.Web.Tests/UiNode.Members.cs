using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Web.Tests;

public sealed partial class UiNode
{
    /// <summary>An invitation written straight to the store, e.g. one that expired yesterday; returns its token.</summary>
    public string StoreInvitation(MemberRole role, DateTimeOffset expiresAt)
    {
        _ = Address;
        var (id, token, hash) = TokenSecrets.New(Core.Services.InvitationService.TokenPrefix);
        Service<IInvitationStore>().Add(new Invitation
        {
            Id = id, TokenHash = hash, Role = role, CreatedBy = "admin", CreatedAt = expiresAt.AddDays(-7), ExpiresAt = expiresAt,
        });
        return token;
    }
}

public sealed partial class Browser
{
    /// <summary>Fetches <paramref name="page"/> for its antiforgery token, then posts the named form there (or to <paramref name="action"/>).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string form, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var (_, html) = await GetAsync(page);
        return await PostFormAsync(action ?? page, [new("_handler", form), new("__RequestVerificationToken", Token(html)), .. fields]);
    }

    /// <summary>The value of the input with this id on the page.</summary>
    public static string? InputValue(string html, string id) =>
        Regex.Match(html, $"<input[^>]*id=\"{Regex.Escape(id)}\"[^>]*value=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>Where a redirect leads, as a local path with its query and fragment.</summary>
    public static string Location(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => "",
        { IsAbsoluteUri: true } u => u.PathAndQuery + u.Fragment,
        var u => u.OriginalString,
    };
}

/// <summary>A node started as a newcomer starts it: no configured administrator password, so it waits for its setup page.</summary>
public sealed class SetupNode : WebApplicationFactory<Commons.Node.Program>
{
    private Uri? _address;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-web-tests", Guid.NewGuid().ToString("N"));

    public SetupNode() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Commons:DataDirectory", DataDirectory);
        builder.UseSetting("Commons:AdminSocket", "false");
        builder.UseSetting("Commons:NodeName", "Fresh node");
        builder.UseSetting("Commons:Security:PasswordIterations", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public Uri Address
    {
        get
        {
            if (_address is not null) return _address;
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return _address = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        }
    }

    public string CodeFile => Path.Combine(DataDirectory, "run", "setup-code");
    public string Code => File.ReadAllText(CodeFile).Trim();

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public Browser Browser() => new(Address);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
