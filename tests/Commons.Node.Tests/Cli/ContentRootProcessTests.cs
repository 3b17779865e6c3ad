using System.Net;
using System.Text.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// A node started from another folder than its own (as a service manager or a shell in the home folder starts it)
/// still serves its stylesheet and reads the appsettings files beside its program; its data stays in the data folder.
/// </summary>
public sealed class ContentRootProcessTests
{
    [Fact]
    public async Task A_node_started_from_another_folder_serves_its_stylesheet()
    {
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Sub("elsewhere"), adminSocket: false);

        var css = await node.Http.GetAsync("/ui.css");

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await css.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_started_from_another_folder_reads_the_appsettings_beside_its_program()
    {
        // An environment of its own, so the settings file written beside the program concerns this test only.
        var environmentName = "ContentRootTest" + Guid.NewGuid().ToString("N");
        var settings = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json");
        File.WriteAllText(settings, """{ "Commons": { "NodeName": "Named by the app folder's settings" } }""");
        try
        {
            using var temp = new TempFolder();
            var workingDirectory = temp.Sub("elsewhere");
            // A settings file in the working directory must not be the one read.
            File.WriteAllText(Path.Combine(workingDirectory, $"appsettings.{environmentName}.json"), """{ "Commons": { "NodeName": "Named by the working directory" } }""");
            await using var node = await NodeProcess.StartAsync(workingDirectory, adminSocket: false,
                environment: new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = environmentName });

            var actor = JsonDocument.Parse(await node.Http.GetStringAsync("/actor")).RootElement;

            Assert.Equal("Named by the app folder's settings", actor.GetProperty("name").GetString());
        }
        finally
        {
            File.Delete(settings);
        }
    }
}
