using System.Net;
using Commons.Core.Federation;

namespace Commons.Web.Tests;

/// <summary>/admin/deliveries over real HTTP: the queue and the dead letters, retry one or all, discard after confirming.</summary>
public sealed class AdminDeliveriesTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;
    private IDeliveryQueue Queue => _node.Service<IDeliveryQueue>();

    /// <summary>Where a redirect goes, as a local path and query.</summary>
    private string Where(HttpResponseMessage response) => new Uri(_node.Address, response.Headers.Location!).PathAndQuery;

    [Fact]
    public async Task Dead_letters_are_listed_with_their_host_attempts_and_error()
    {
        var dead = _node.DeadLetters(2, error: "HTTP 403 <refused>");
        using var browser = await _node.AdminBrowserAsync();

        var (response, html) = await browser.GetAsync("/admin/deliveries");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Browser.RowIds(html, "dead-letters", "dead-");
        Assert.Contains(dead[0].Id, rows);
        Assert.Contains(dead[1].Id, rows);
        Assert.Contains(new Uri(dead[0].Inbox).Host, html);
        Assert.Contains("HTTP 403 &lt;refused&gt;", html); // a peer's words are never markup
        Assert.Contains("id=\"retry-all\"", html);
        Assert.Contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\"", html);
    }

    [Fact]
    public async Task Retrying_a_dead_letter_moves_it_back_to_the_queue()
    {
        var item = _node.DeadLetters(1)[0];
        using var browser = await _node.AdminBrowserAsync();

        var response = await browser.PostPageFormAsync("/admin/deliveries", "retry", ("id", item.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/deliveries?done=retried", Where(response));
        var revived = Queue.Find(item.Id);
        Assert.NotNull(revived);
        Assert.False(revived.Dead); // the worker may have tried it since: an unreachable host only schedules another attempt
        var (_, html) = await browser.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("role=\"status\"", html);
        Assert.DoesNotContain(item.Id, Browser.RowIds(html, "dead-letters", "dead-"));
    }

    [Fact]
    public async Task Retry_all_revives_every_dead_letter()
    {
        var dead = _node.DeadLetters(3);
        using var browser = await _node.AdminBrowserAsync();

        var response = await browser.PostPageFormAsync("/admin/deliveries", "retry-all");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/deliveries?done=all&n=", Where(response));
        Assert.All(dead, d => Assert.False(Queue.Find(d.Id)!.Dead));
        Assert.Equal(0, Queue.CountDead());
    }

    [Fact]
    public async Task Discarding_asks_for_confirmation_then_deletes_the_dead_letter()
    {
        var (kept, gone) = (_node.DeadLetters(1)[0], _node.DeadLetters(1)[0]);
        using var browser = await _node.AdminBrowserAsync();

        var (_, list) = await browser.GetAsync("/admin/deliveries");
        Assert.Contains($"href=\"/admin/deliveries?discard={gone.Id}#confirm-discard\"", list);
        Assert.NotNull(Queue.Find(gone.Id)); // a link only: nothing happens before the confirmation

        var confirmUrl = $"/admin/deliveries?discard={gone.Id}";
        var (page, confirm) = await browser.GetAsync(confirmUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"confirm-discard\"", confirm);

        var response = await browser.PostPageFormAsync(confirmUrl, "discard", ("id", gone.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/deliveries?done=discarded", Where(response));
        Assert.Null(Queue.Find(gone.Id));
        Assert.True(Queue.Find(kept.Id)!.Dead);
    }

    [Fact]
    public async Task A_live_delivery_or_an_unknown_id_cannot_be_discarded_or_retried()
    {
        var dead = _node.DeadLetters(1)[0];
        var live = dead with { Id = Guid.NewGuid().ToString("N"), Dead = false, NextAttemptAt = DateTimeOffset.UtcNow.AddDays(1) };
        Queue.Enqueue([live]);
        using var browser = await _node.AdminBrowserAsync();

        var (confirmPage, confirm) = await browser.GetAsync($"/admin/deliveries?discard={live.Id}");
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode); // the listing, with a message that the link is stale
        Assert.DoesNotContain("id=\"confirm-discard\"", confirm);
        Assert.Contains("role=\"alert\"", confirm);

        var retry = await browser.PostPageFormAsync("/admin/deliveries", "retry", ("id", "no-such-delivery"));
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Contains("role=\"alert\"", await retry.Content.ReadAsStringAsync());

        var discard = await browser.PostPageFormAsync($"/admin/deliveries?discard={dead.Id}", "discard", ("id", live.Id));
        Assert.Equal(HttpStatusCode.Conflict, discard.StatusCode);
        Assert.NotNull(Queue.Find(live.Id));
        Assert.NotNull(Queue.Find(dead.Id));
        Queue.Complete(live.Id);
    }

    [Fact]
    public async Task The_dead_letters_page_by_25()
    {
        using var node = new UiNode();
        node.DeadLetters(30);
        using var browser = await node.AdminBrowserAsync();

        var (_, first) = await browser.GetAsync("/admin/deliveries");
        var (_, second) = await browser.GetAsync("/admin/deliveries?deadPage=2");
        var (_, beyond) = await browser.GetAsync("/admin/deliveries?deadPage=99");

        Assert.Equal(25, Browser.RowIds(first, "dead-letters", "dead-").Count);
        Assert.Equal(5, Browser.RowIds(second, "dead-letters", "dead-").Count);
        Assert.Equal(30, Browser.RowIds(first, "dead-letters", "dead-").Concat(Browser.RowIds(second, "dead-letters", "dead-")).Distinct().Count());
        Assert.Contains("href=\"/admin/deliveries?deadPage=2\" rel=\"next\"", first);
        Assert.Equal(5, Browser.RowIds(beyond, "dead-letters", "dead-").Count); // clamped to the last page
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("retry-all")]
    [InlineData("discard")]
    public async Task A_post_without_the_antiforgery_token_is_refused(string handler)
    {
        var item = _node.DeadLetters(1)[0];
        using var browser = await _node.AdminBrowserAsync();

        var response = await browser.PostFormAsync($"/admin/deliveries?discard={item.Id}", [new("_handler", handler), new("id", item.Id)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(Queue.Find(item.Id)!.Dead);
    }
}
