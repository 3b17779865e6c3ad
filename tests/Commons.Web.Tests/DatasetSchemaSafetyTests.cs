using System.Net;
using Commons.Core.Datasets;
using static Commons.Web.Tests.DatasetPages;

namespace Commons.Web.Tests;

/// <summary>The edit form's JSON schema field shows the service's refusal of a recursive schema inline; nothing is saved.</summary>
public sealed class DatasetSchemaSafetyTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task A_recursive_schema_is_refused_next_to_the_schema_field()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Tree");
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var before = _node.Dataset(slug);
        var refused = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), before,
            ("Form.SchemaJson", """{"type":"object","$defs":{"a":{"$ref":"#/$defs/a"}},"properties":{"x":{"$ref":"#/$defs/a"}}}""")));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = MessageFor(refusedHtml, "schema-json");
        Assert.NotNull(message);
        Assert.Contains("schema['$defs'].a", message);
        Assert.Contains("recursive schemas are not supported", message);
        Assert.Equal((before.Schema, before.Version), (_node.Dataset(slug).Schema, _node.Dataset(slug).Version));
    }
}
