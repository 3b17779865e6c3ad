using System.Net;

namespace Commons.Web.Tests;

/// <summary>The administration pages say what a delivery carries in the reader's language, not as an ActivityStreams type.</summary>
public sealed class PlainWordsTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Theory]
    [InlineData("fr", "nouvel enregistrement", "Ce qui est envoyé")]
    [InlineData("nl", "nieuw record", "Wat verzonden wordt")]
    [InlineData("en", "new record", "What is sent")]
    public async Task A_given_up_delivery_says_what_it_carries_in_words(string language, string words, string column)
    {
        var dead = _node.DeadLetters(1)[0];
        Assert.Equal("Create", dead.ActivityType);
        using var admin = _node.Browser(language);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);

        var (response, html) = await admin.GetAsync("/admin/deliveries");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<td>{words}</td>", html);
        Assert.Contains(column, html);
        Assert.DoesNotContain("<td>Create</td>", html);
    }
}
