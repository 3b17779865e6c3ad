using Commons.Core.Datasets;
using Commons.Core.Text;
using Commons.Node.Web.Display;

namespace Commons.Node.Tests.Web;

/// <summary>The records table keeps a dataset's display while its schema, title field and columns are the same, and only then.</summary>
public sealed class RecordDisplaysTests
{
    private const string Schema = """
        { "type": "object", "properties": { "name": { "type": "string" }, "city": { "type": "string", "title": "Ville" }, "seats": { "type": "integer" } } }
        """;

    private static Dataset Places(string schema = Schema, string? title = null, params string[] columns) => new()
    {
        Key = 1, Slug = "places", Title = new LocalizedText("places", null, null), Schema = schema, TitleField = title, Columns = columns,
    };

    [Fact]
    public void The_same_dataset_read_again_gets_the_display_built_before()
    {
        Assert.Same(RecordDisplays.Of(Places()), RecordDisplays.Of(Places()));
    }

    [Fact]
    public void A_changed_schema_title_field_or_column_list_gets_its_own_display()
    {
        var before = RecordDisplays.Of(Places());
        Assert.Equal("name", before.TitleField);

        Assert.Equal("city", RecordDisplays.Of(Places(title: "city")).TitleField);
        Assert.Equal(["seats"], RecordDisplays.Of(Places(columns: "seats")).Columns);
        Assert.Equal(["city", "seats"], RecordDisplays.Of(Places(columns: ["city", "seats"])).Columns);
        Assert.Equal("Lieu", RecordDisplays.Of(Places(Schema.Replace("Ville", "Lieu"))).Label("city", "fr"));
    }
}
