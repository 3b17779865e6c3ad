using System.Globalization;
using System.Net;
using Commons.Modules.Employers.Pages;
using Commons.Modules.Employers.Resources;
using Commons.Modules.Employers.Statements;
using Commons.Web.Tests.Flow;
using Microsoft.Extensions.Localization;

namespace Commons.Web.Tests;

/// <summary>
/// The coordinator's pages over real HTTP, without a browser: what each bad input gets (its status, the message beside
/// its field, the rule's code), what a member who is no steward may not do, and the signed downloads. Nothing is
/// stored by a refused form. The group is <see cref="EmployersSeed"/>'s.
/// </summary>
public sealed class EmployersPagesTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    private string _open = "", _closed = "";
    private PageTexts _en = null!;

    public Task InitializeAsync()
    {
        (_open, _closed) = EmployersSeed.Open(_node);
        _en = new PageTexts(_node.Service<IStringLocalizerFactory>(), CultureInfo.GetCultureInfo("en"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private string Text(string key, params object[] args) => _en.Get<EmployersText>(key, args);

    private int Workers => _node.Service<GroupDesk>().Read(UiNode.Admin)!.Workers.Count;

    [Fact]
    public async Task A_worker_form_with_bad_fields_answers_400_with_each_message_beside_its_field_and_stores_nothing()
    {
        using var admin = await _node.AdminBrowserAsync();
        var response = await admin.PostPageFormAsync("/employers/workers/new", "employers-worker",
            ("Form.Name", " "), ("Form.Role", "Animatrice"), ("Form.HoursPerWeek", "60"), ("Form.MonthlyCost", "12,345"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"id=\"error-Name\">{Text("NameNeeded")}", html);
        Assert.Contains(Text("HoursPerWeekInvalid"), html);
        Assert.Contains(Text("MonthlyCostInvalid"), html);
        Assert.DoesNotContain("error-Role", html);
        Assert.Equal(1, Workers);

        var saved = await admin.PostPageFormAsync("/employers/workers/new", "employers-worker",
            ("Form.Name", "Bram Peeters"), ("Form.Role", "Animateur"), ("Form.HoursPerWeek", "19,5"), ("Form.MonthlyCost", "1 700,5"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var bram = Assert.Single(_node.Service<GroupDesk>().Read(UiNode.Admin)!.Workers, w => w.Name == "Bram Peeters");
        Assert.Equal((19.5m, 1700.50m), (bram.HoursPerWeek, bram.MonthlyCost));

        // The edit form shows the stored values and changes them.
        var (_, edit) = await admin.GetAsync($"/employers/workers/{bram.Id}");
        Assert.Contains("value=\"1700.50\"", edit);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostPageFormAsync($"/employers/workers/{bram.Id}", "employers-worker",
            ("Form.Name", "Bram Peeters"), ("Form.Role", "Coordinateur"), ("Form.HoursPerWeek", "19.5"), ("Form.MonthlyCost", "1800"))).StatusCode);
        Assert.Equal("Coordinateur", _node.Service<GroupDesk>().Read(UiNode.Admin)!.Workers.Single(w => w.Id == bram.Id).Role);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/employers/workers/nobody")).Response.StatusCode);
    }

    [Fact]
    public async Task Assignments_refused_by_the_rules_show_the_rules_message_beside_the_field_with_its_code()
    {
        using var admin = await _node.AdminBrowserAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostPageFormAsync("/employers/workers/new", "employers-worker",
            ("Form.Name", "Chloé Martin"), ("Form.Role", "Comptable"), ("Form.HoursPerWeek", "38"), ("Form.MonthlyCost", "3000"))).StatusCode);
        var chloe = _node.Service<GroupDesk>().Read(UiNode.Admin)!.Workers.Single(w => w.Name == "Chloé Martin").Id;

        async Task<(HttpStatusCode Status, string Html)> Assign(string worker, string member, string share)
        {
            var r = await admin.PostPageFormAsync("/employers/assignments", "employers-assign", ("Form.Worker", worker), ("Form.Member", member), ("Form.PlannedShare", share));
            return (r.StatusCode, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        }
        var notMember = await Assign(chloe, "https://ailleurs.example/actor", "50");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notMember.Status);
        Assert.Contains($"id=\"error-Member\" data-code=\"member_not_in_group\">{Text("Rule_member_not_in_group")}", notMember.Html);
        var badShare = await Assign(chloe, EmployersSeed.Parc, "100.001");
        Assert.Equal(HttpStatusCode.BadRequest, badShare.Status);
        Assert.Contains(Text("ShareInvalid"), badShare.Html);
        Assert.Equal(HttpStatusCode.Redirect, (await Assign(chloe, EmployersSeed.Parc, "70")).Status);
        var over = await Assign(chloe, EmployersSeed.Velo, "30,01");
        Assert.Equal(HttpStatusCode.Conflict, over.Status);
        Assert.Contains($"id=\"error-PlannedShare\" data-code=\"shares_over_100\">{Text("Rule_shares_over_100")}", over.Html);
        Assert.Equal(3, _node.Service<GroupDesk>().Read(UiNode.Admin)!.Assignments.Count);

        // The size limit (1) is passed by the group's two members: warned about, never refused.
        Assert.Contains("id=\"size-warning\" data-code=\"size_limit_exceeded\"", (await admin.GetAsync("/employers/assignments")).Html);

        var removed = await admin.PostPageFormAsync("/employers/assignments", "employers-unassign", ("Removal.Remove", $"{chloe}|{EmployersSeed.Parc}"));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(2, _node.Service<GroupDesk>().Read(UiNode.Admin)!.Assignments.Count);
        var gone = await admin.PostPageFormAsync("/employers/assignments", "employers-unassign", ("Removal.Remove", $"{chloe}|{EmployersSeed.Parc}"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_member_who_is_no_steward_reads_the_group_but_may_add_nobody_nor_close_a_month()
    {
        using var member = await _node.MemberBrowserAsync();
        var (home, html) = await member.GetAsync("/employers");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(EmployersSeed.WorkerName, html);
        Assert.DoesNotContain("id=\"add-worker\"", html);
        Assert.DoesNotContain("id=\"close-link\"", (await member.GetAsync($"/employers/months/{_open}")).Html);

        var close = await member.PostPageFormAsync($"/employers/months/{_open}/close", "employers-close");
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
        Assert.Contains("id=\"close-refused\" data-code=\"forbidden\"", await close.Content.ReadAsStringAsync());
        Assert.DoesNotContain(_open, _node.Service<GroupDesk>().ClosedMonths(UiNode.Admin));
        var add = await member.PostPageFormAsync("/employers/workers/new", "employers-worker",
            ("Form.Name", "Intrus"), ("Form.Role", "Rien"), ("Form.HoursPerWeek", "10"), ("Form.MonthlyCost", "10"));
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(1, Workers);
    }

    [Fact]
    public async Task Closing_shows_the_split_and_signed_downloads_and_a_closed_or_unknown_month_is_refused()
    {
        using var admin = await _node.AdminBrowserAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/employers/months/2026-13")).Response.StatusCode);
        var again = await admin.PostPageFormAsync($"/employers/months/{_closed}/close", "employers-close");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"data-code=\"month_closed\">{Text("Rule_month_closed")}", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()));

        // This month has 72.5 hours from one member and none from the other.
        var (_, month) = await admin.GetAsync($"/employers/months/{_open}");
        Assert.Contains("data-state=\"accepted\"", month);
        Assert.Contains("data-state=\"missing\"", month);
        var closed = await admin.PostPageFormAsync($"/employers/months/{_open}/close", "employers-close");
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var (_, split) = await admin.GetAsync($"/employers/months/{_open}?closed=1");
        Assert.Contains("id=\"month-done\"", split);
        // By the hours: the one member with hours bears the whole cost.
        Assert.Contains(3250.40m.ToString("N2", CultureInfo.GetCultureInfo("en")), split);

        var statement = await admin.GetAsync($"/employers/months/{_open}/statements/amisduparc.example.xml");
        Assert.Equal(HttpStatusCode.OK, statement.Response.StatusCode);
        Assert.Equal("application/xml", statement.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(StatementSignature.Verify(statement.Html).Valid);
        Assert.Contains(EmployersSeed.Parc, statement.Html);
        Assert.DoesNotContain(EmployersSeed.Velo, statement.Html);
        Assert.True(StatementSignature.Verify((await admin.GetAsync($"/employers/months/{_open}/summary.xml")).Html).Valid);
        var none = await admin.GetAsync("/employers/months/2020-01/statements/amisduparc.example.xml");
        Assert.Equal(HttpStatusCode.NotFound, none.Response.StatusCode);
        Assert.Equal("application/problem+json", none.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"no_statement\"", none.Html);
    }
}
