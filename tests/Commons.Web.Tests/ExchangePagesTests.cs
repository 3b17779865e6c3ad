using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;

namespace Commons.Web.Tests;

/// <summary>
/// /exchanges and /exchanges/{id} over real HTTP: each member sees what the service lets them (their own requests, the
/// requests to datasets they steward), codes in words where the pages know them, and a steward answers a pending
/// request once.
/// </summary>
public sealed class ExchangePagesTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task A_member_lists_their_own_requests_with_the_code_in_words_and_not_the_others()
    {
        var member = _node.CreateMember();
        var mine = _node.AddOutgoingRequest(member, ExchangeState.Refused, "request_unsupported");
        var theirs = _node.AddOutgoingRequest(_node.CreateMember());
        var toTheirDataset = _node.AddIncomingRequest(_node.CreateDataset(SharingPolicy.Public, "Rooms"));
        using var browser = await _node.SignedInAsync(member);

        var (response, html) = await browser.GetAsync("/exchanges");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-exchange=\"{mine.Ref}\" data-state=\"refused\"", html);
        Assert.Contains("the dataset does not answer this kind of request", html);
        Assert.DoesNotContain(theirs.Ref, html);
        Assert.DoesNotContain(toTheirDataset.Ref, html);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/exchanges/{mine.Ref}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/exchanges/{theirs.Ref}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/exchanges/{toTheirDataset.Ref}")).Response.StatusCode);
    }

    [Fact]
    public async Task A_steward_refuses_a_pending_request_once_with_a_code_and_a_second_answer_is_a_conflict()
    {
        var steward = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Public, "Rooms", (steward, GrantRole.Steward));
        var request = _node.AddIncomingRequest(slug);
        using var browser = await _node.SignedInAsync(steward);

        var (_, page) = await browser.GetAsync($"/exchanges/{request.Ref}");
        Assert.Contains("id=\"refuse-form\"", page);
        var refused = await browser.PostFormAsync($"/exchanges/{request.Ref}",
            [new("_handler", "refuse"), new("__RequestVerificationToken", Browser.Token(page)), new("RefuseForm.Code", "hall_closed"), new("RefuseForm.Detail", "closed on Mondays")]);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("id=\"answer-done\"", html);
        Assert.Contains("hall_closed", html);
        Assert.DoesNotContain("id=\"refuse-form\"", html);
        var stored = _node.Service<IExchangeStore>().Find(request.Id)!;
        Assert.Equal((ExchangeState.Refused, "hall_closed", steward), (stored.State, stored.Code, stored.AnsweredBy));

        var again = await browser.PostFormAsync($"/exchanges/{request.Ref}",
            [new("_handler", "accept"), new("__RequestVerificationToken", Browser.Token(page))]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("This request was answered already.", await again.Content.ReadAsStringAsync());
        Assert.Equal(ExchangeState.Refused, _node.Service<IExchangeStore>().Find(request.Id)!.State);
    }

    [Fact]
    public async Task A_viewer_of_the_dataset_neither_sees_nor_answers_its_requests()
    {
        var viewer = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Public, "Rooms", (viewer, GrantRole.Viewer));
        var request = _node.AddIncomingRequest(slug);
        using var browser = await _node.SignedInAsync(viewer);
        var (response, _) = await browser.GetAsync($"/exchanges/{request.Ref}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var (_, list) = await browser.GetAsync("/exchanges");
        var post = await browser.PostFormAsync($"/exchanges/{request.Ref}",
            [new("_handler", "accept"), new("__RequestVerificationToken", Browser.Token(list))]);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(ExchangeState.Pending, _node.Service<IExchangeStore>().Find(request.Id)!.State);
    }
}
