namespace Commons.Node.Hosting;

/// <summary>
/// Where the node finds its appsettings.json and wwwroot: the application's own folder, whatever folder it is started
/// from (a service manager, a shell in the home folder), unless <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> /
/// <c>DOTNET_CONTENTROOT</c> says otherwise. The data folder is not affected: it stays relative to the working directory.
/// </summary>
public static class ContentRoot
{
    private const string Key = "contentRoot";

    /// <summary>The application's folder, or null when one is configured (the host then uses the configured one).</summary>
    public static string? Default(string[] args)
    {
        var configured = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[Key];
        return string.IsNullOrEmpty(configured) ? AppContext.BaseDirectory : null;
    }
}
