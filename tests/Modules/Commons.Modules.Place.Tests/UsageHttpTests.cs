using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Modules.Place.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The usage report on a real store and over real HTTP: the stewards of the bookings see every organisation, a member
/// their own; the API, its CSV, the page in three languages and the CLI say the same.
/// </summary>
public sealed class UsageHttpTests : IAsyncLifetime
{
    private const string Velo = "https://velo.example/actor";
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private PlaceReports _reports = null!;
    private ModuleTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _reports = new PlaceReports(_node);
        _host = await _reports.StartAsync();
        _node.Place.Book(Alice, Ask("hall", "2026-03-23T10:00:00+01:00", "2026-03-23T12:00:00+01:00"));
        _node.Place.Book(Bob, Ask("van", "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00"));
        _reports.BookForPeer(Velo, "hall", "2026-03-24T10:00:00+01:00", "2026-03-24T11:30:00+01:00");
        _reports.BookForPeer(Velo, "hall", "2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public void Stewards_of_the_bookings_see_every_organisation_and_a_member_their_own()
    {
        var all = _reports.Usage.Of(Admin, new(2026, 3));
        Assert.Equal([("this-node", PlaceReports.NodeName, 4m, 2), (Velo, "velo.example", 1.5m, 1)],
            all.Rows.Select(r => (r.Organisation.Id, r.Organisation.Name, r.Hours, r.Bookings)));
        Assert.Equal((5.5m, 3), (all.Total.Hours, all.Total.Bookings));

        var own = _reports.Usage.Of(Bob, new(2026, 3));
        Assert.Equal([("this-node", 4m)], own.Rows.Select(r => (r.Organisation.Id, r.Hours)));
        Assert.Equal(4m, own.Total.Hours);

        _node.AddMember("bob");
        _node.Datasets.SetGrant(Admin, "bookings", "bob", GrantRole.Editor);
        Assert.Equal(2, _reports.Usage.Of(Bob, new(2026, 3)).Rows.Count);
        _node.Datasets.SetGrant(Admin, "bookings", "bob", GrantRole.Viewer);
        Assert.Single(_reports.Usage.Of(Bob, new(2026, 3)).Rows);
    }

    [Fact]
    public async Task The_api_answers_the_month_as_json_and_csv_and_refuses_a_month_it_cannot_read()
    {
        using var root = _host.Client("root");
        var report = await root.GetFromJsonAsync<JsonElement>("/api/place/usage?month=2026-03");
        Assert.Equal(("2026-03", "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"),
            (report.GetProperty("month").GetString(), report.GetProperty("starts").GetString(), report.GetProperty("ends").GetString()));
        Assert.Equal(5.5m, report.GetProperty("total").GetProperty("hours").GetDecimal());
        Assert.Equal(2, report.GetProperty("rows").GetArrayLength());

        var csv = await root.GetAsync("/api/place/usage.csv?month=2026-04");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "month,organisation_id,organisation,hours,cost_eur,cost_credit,late_cancellations,bookings\r\n" +
            "2026-04,this-node,Maison de quartier,0.00,0.00,0.00,0,0\r\n" +
            $"2026-04,{Velo},velo.example,1.00,0.00,0.00,0,1\r\n", await csv.Content.ReadAsStringAsync());

        // The page's download says the same, as a file named after the month.
        var download = await root.GetAsync("/place/usage.csv?month=2026-04");
        Assert.Equal("place-usage-2026-04.csv", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        Assert.Contains($"2026-04,{Velo},velo.example,1.00", await download.Content.ReadAsStringAsync());

        using var bob = _host.Client("bob");
        Assert.DoesNotContain("velo", await bob.GetStringAsync("/api/place/usage.csv?month=2026-04"));
        Assert.DoesNotContain("velo", await bob.GetStringAsync("/place/usage.csv?month=2026-04"));
        var bad = await bob.GetAsync("/api/place/usage?month=2026-13");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_parameter"), (bad.StatusCode, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
    }

    [Theory]
    [InlineData("fr", "Utilisation du lieu", "Utilisation en mars 2026", "Maison de quartier (cette organisation)", "5,50")]
    [InlineData("nl", "Gebruik van de plek", "Gebruik in maart 2026", "Maison de quartier (deze organisatie)", "5,50")]
    [InlineData("en", "Usage of the place", "Usage in March 2026", "Maison de quartier (this organisation)", "5.50")]
    public async Task The_page_shows_the_month_with_its_totals_in_the_readers_language(string language, string title, string heading, string ours, string total)
    {
        using var root = _host.Client("root", language);
        var page = await root.GetStringAsync("/place/usage?month=2026-03");
        Assert.Contains($"<h1>{title}</h1>", page);
        Assert.Contains(heading, page);
        Assert.Contains(ours, page);
        Assert.Contains("velo.example", page);
        Assert.Contains($"<td class=\"num\">{total}</td>", page);
        Assert.Contains("role=\"region\"", page);
        Assert.Contains("href=\"/place/usage.csv?month=2026-03\"", page);

        using var bob = _host.Client("bob", language);
        Assert.DoesNotContain("velo.example", await bob.GetStringAsync("/place/usage?month=2026-03"));
        var bad = await bob.GetAsync("/place/usage?month=mars");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"month-error\"", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_cli_prints_the_month_as_a_table_or_csv()
    {
        var output = new StringWriter();
        var services = new ServiceCollection().AddSingleton(_reports.Usage).BuildServiceProvider();
        var command = new PlaceModule().BuildCommand(() => new ModuleCommandContext(services, output, Admin))!;
        Assert.Equal(0, command.Parse(["usage", "--month", "2026-03"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() }));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ORGANISATION", lines[0]);
        Assert.Contains("(2026-03)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("velo.example", StringComparison.Ordinal) && l.Contains(" 1.50 "));
        Assert.StartsWith("total", lines[^1]);

        output.GetStringBuilder().Clear();
        Assert.Equal(0, command.Parse(["usage", "--month", "2026-03", "--csv"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() }));
        Assert.StartsWith("month,organisation_id,", output.ToString());

        var error = new StringWriter();
        Assert.NotEqual(0, command.Parse(["usage", "--month", "March"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }));
    }
}
