namespace Commons.Web.Tests.Flow;

/// <summary>
/// Asks a node for a dataset's handle and actor once, with a patient client, before another node follows it. A follow
/// waits 10 s for the other node's answers; on a loaded machine (CI runs every test project at once on two cores, other
/// work shares it) a fresh node's first webfinger and actor answers, compiled on first use, have taken longer, and the
/// follow then failed with "No complete answer from …/.well-known/webfinger… within 00:00:10" (seen in 7 of 10
/// first runs of the place test and 1 of 10 of the two-node flow, load 30–90). The tests are about what the pages do,
/// not how fast a cold node answers.
/// </summary>
public static class FederationWarmUp
{
    public static async Task DatasetAsync(Uri node, string slug)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromMinutes(2) };
        using var finger = await http.GetAsync($"/.well-known/webfinger?resource=acct:{slug}@{node.Authority}");
        Assert.True(finger.IsSuccessStatusCode, $"webfinger of {slug} on {node}: {(int)finger.StatusCode}");
        using var actor = new HttpRequestMessage(HttpMethod.Get, $"/datasets/{slug}");
        actor.Headers.Accept.ParseAdd("application/activity+json");
        using var answer = await http.SendAsync(actor);
        Assert.True(answer.IsSuccessStatusCode, $"the actor of {slug} on {node}: {(int)answer.StatusCode}");
    }
}
