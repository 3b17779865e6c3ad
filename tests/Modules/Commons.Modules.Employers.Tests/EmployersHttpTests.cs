using System.Net;
using System.Text.Json;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Tests.Support;
using Commons.Modules.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>The group's API over real HTTP on 127.0.0.1: closing a month (stewards only), reading it, the signed statements as XML.</summary>
public sealed class EmployersHttpTests : IAsyncLifetime
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();
    private ModuleTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ModuleTestHost.StartAsync<EmployersModule>(
            new Dictionary<string, Core.Access.Caller> { ["root"] = Admin, ["alice"] = Alice }, s => s.AddSingleton(_node.Group));
        _node.EnterHours("anne", B, "2026-01", "50");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task A_steward_closes_a_month_a_member_reads_it_and_downloads_a_signed_statement()
    {
        using var alice = _host.Client("alice");
        using var root = _host.Client("root");

        var refused = await alice.PostAsync("/api/employers/months/2026-01/close", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var closed = await root.PostAsync("/api/employers/months/2026-01/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        using var month = JsonDocument.Parse(await closed.Content.ReadAsStringAsync());
        Assert.Equal("2026-01", month.RootElement.GetProperty("month").GetString());

        var again = await root.PostAsync("/api/employers/months/2026-01/close", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("\"month_closed\"", await again.Content.ReadAsStringAsync());

        Assert.Equal("[\"2026-01\"]", await alice.GetStringAsync("/api/employers/months"));
        var statement = await alice.GetAsync("/api/employers/months/2026-01/statements/b.example.xml");
        Assert.Equal(HttpStatusCode.OK, statement.StatusCode);
        Assert.Equal("application/xml", statement.Content.Headers.ContentType?.MediaType);
        var xml = await statement.Content.ReadAsStringAsync();
        Assert.True(StatementSignature.Verify(xml).Valid);
        // Anne by the hours (all of them B's: 3 250.40), Bram by the planned shares (none entered: 60 % of 1 700.00).
        Assert.Contains("<total>4270.40</total>", xml);
        Assert.Equal(0, Xmlsec1.Verify(xml, _node.SigningKey.RsaPublicPem).ExitCode);

        var summary = await alice.GetAsync("/api/employers/months/2026-01/summary.xml");
        Assert.True(StatementSignature.Verify(await summary.Content.ReadAsStringAsync()).Valid);

        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/api/employers/months/2026-02/statements/b.example.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await root.PostAsync("/api/employers/months/January/close", null)).StatusCode);
    }
}
