using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;

namespace Commons.Web.Tests;

/// <summary>/admin/federation over real HTTP: the mode and the domain lists, edited at runtime, checked, applied at once.</summary>
public sealed class AdminFederationTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;
    private DomainPolicyProvider Policy => _node.Service<DomainPolicyProvider>();

    private string Where(HttpResponseMessage response) => new Uri(_node.Address, response.Headers.Location!).PathAndQuery;

    [Fact]
    public async Task Blocking_a_domain_shows_it_as_added_here_and_removing_it_asks_first()
    {
        var domain = _node.Unique("bücher") + ".example";
        using var browser = await _node.AdminBrowserAsync();

        var added = await browser.PostPageFormAsync("/admin/federation", "add-block", ("Block.Domain", "*." + domain.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/admin/federation?done=blocked", Where(added));
        var normalized = Policy.Rules.Blocked.Single(e => e.Display == domain).Domain;
        Assert.StartsWith("xn--", normalized);
        Assert.False(Policy.Current.IsAllowed("social." + domain));
        var (_, page) = await browser.GetAsync(Where(added));
        Assert.Contains($"id=\"block-{normalized}\"", page);
        Assert.Contains("role=\"status\"", page);

        var confirmUrl = $"/admin/federation?list=blocked&remove={normalized}";
        Assert.Contains(WebUtility.HtmlEncode(confirmUrl) + "#confirm-remove", page);
        Assert.False(Policy.Current.IsAllowed(domain)); // following the link alone changes nothing
        var (_, confirm) = await browser.GetAsync(confirmUrl);
        Assert.Contains("id=\"confirm-remove\"", confirm);

        var removed = await browser.PostPageFormAsync(confirmUrl, "remove", ("Removal.List", "Blocked"), ("Removal.Domain", normalized));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.True(Policy.Current.IsAllowed(domain));
        Assert.DoesNotContain(Policy.Rules.Blocked, e => e.Domain == normalized);
    }

    [Theory]
    [InlineData("", "Enter a domain name")]
    [InlineData("not a domain", "is not a domain name")]
    [InlineData("https://peer.example/users/a", "is not a domain name")]
    public async Task A_bad_domain_is_explained_next_to_the_field_and_nothing_is_stored(string entry, string message)
    {
        var before = Policy.Rules.Blocked.Count;
        using var browser = await _node.AdminBrowserAsync();

        var response = await browser.PostPageFormAsync("/admin/federation", "add-block", ("Block.Domain", entry));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("<p class=\"field-error\" id=\"block-domain-error\">", html);
        Assert.Contains(message, html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains("aria-describedby=\"block-domain-hint block-domain-error\"", html);
        Assert.Contains($"value=\"{WebUtility.HtmlEncode(entry)}\"", html); // what was typed is kept
        Assert.Equal(before, Policy.Rules.Blocked.Count);
    }

    [Fact]
    public async Task A_domain_already_listed_is_refused_and_configured_entries_are_not_removable()
    {
        var domain = _node.Unique("twice") + ".example";
        using var browser = await _node.AdminBrowserAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostPageFormAsync("/admin/federation", "add-allow", ("Allow.Domain", domain))).StatusCode);

        var again = await browser.PostPageFormAsync("/admin/federation", "add-allow", ("Allow.Domain", domain.ToUpperInvariant() + "."));
        var html = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("id=\"allow-domain-error\"", html);
        Assert.Contains("already on the list", html);
        Assert.Single(Policy.Rules.Allowed, e => e.Domain == domain);

        // Nothing configured in this node: a removal of an unknown entry is refused with a message.
        var stale = await browser.PostPageFormAsync($"/admin/federation?list=allowed&remove={domain}", "remove", ("Removal.List", "Allowed"), ("Removal.Domain", "never-listed.example"));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("role=\"alert\"", await stale.Content.ReadAsStringAsync());
        Assert.Single(Policy.Rules.Allowed, e => e.Domain == domain);
    }

    [Fact]
    public async Task The_mode_can_be_set_here_and_given_back_to_the_configuration()
    {
        using var node = new UiNode();
        using var browser = await node.AdminBrowserAsync();
        var policy = node.Service<DomainPolicyProvider>();

        var set = await browser.PostPageFormAsync("/admin/federation", "mode", ("Mode.Value", "AllowList"));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(FederationMode.AllowList, policy.Current.Mode);
        Assert.False(policy.Current.IsAllowed("anyone.example"));
        var (_, html) = await browser.GetAsync("/admin/federation");
        Assert.Contains("id=\"mode-AllowList\" name=\"Mode.Value\" value=\"AllowList\" checked", html);

        var bad = await browser.PostPageFormAsync("/admin/federation", "mode", ("Mode.Value", "Everything"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(FederationMode.AllowList, policy.Current.Mode);

        await browser.PostPageFormAsync("/admin/federation", "mode", ("Mode.Value", "Configuration"));
        Assert.Equal((FederationMode.Open, DomainRuleSource.Configuration), (policy.Rules.Mode, policy.Rules.ModeSource));
    }

    [Fact]
    public async Task A_block_added_in_the_page_refuses_the_senders_next_signed_activity_at_once()
    {
        var host = _node.Unique("sender") + ".invalid";
        var actor = $"https://{host}/users/alice";
        var key = new RsaSigningKey(RSA.Create(2048));
        async Task<HttpStatusCode> PostAsync(int n)
        {
            var body = new JsonObject
            {
                ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{actor}#follows/{n}", ["type"] = "Follow",
                ["actor"] = actor, ["object"] = $"{_node.Address}actor",
            }.ToJsonString();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_node.Address, "/inbox")) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new("application/activity+json");
            await HttpSignatureSigner.SignRequestAsync(request, key, actor + "#main-key", HttpSignatureScheme.Rfc9421, DateTimeOffset.UtcNow);
            using var peer = new HttpClient();
            return (await peer.SendAsync(request)).StatusCode;
        }

        // Not blocked: the inbox goes on to check the signature (the key cannot be fetched from a .invalid host: 401).
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(1));

        using var browser = await _node.AdminBrowserAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostPageFormAsync("/admin/federation", "add-block", ("Block.Domain", host))).StatusCode);

        // Blocked: refused for its domain before anything else, with no restart.
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(2));
    }

    [Theory]
    [InlineData("add-block", "Block.Domain", "x.example")]
    [InlineData("mode", "Mode.Value", "AllowList")]
    public async Task A_post_without_the_antiforgery_token_is_refused(string handler, string field, string value)
    {
        using var browser = await _node.AdminBrowserAsync();
        var response = await browser.PostFormAsync("/admin/federation", [new("_handler", handler), new(field, value)]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Policy.Rules.Blocked, e => e.Domain == "x.example");
        Assert.Equal(FederationMode.Open, Policy.Rules.Mode);
    }
}
