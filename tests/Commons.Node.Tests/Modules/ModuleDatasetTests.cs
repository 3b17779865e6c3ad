using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;
using Commons.Probe;

namespace Commons.Node.Tests.Modules;

/// <summary>Datasets of a module's kind through the dataset API: created only while the module is on, with the kind's schema and defaults.</summary>
public sealed class ModuleDatasetTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    private static StringContent NewDataset(string slug, string? kind, string? extra = null) =>
        NodeFactory.Json($$"""{"slug":"{{slug}}","title":{"en":"Slots {{slug}}"}{{(kind is null ? "" : $",\"kind\":\"{kind}\"")}}{{extra}}}""");

    [Fact]
    public async Task A_dataset_of_a_kind_is_refused_while_its_module_is_off_and_takes_the_kinds_schema_and_defaults_once_on()
    {
        using var admin = await node.AdminAsync();
        await node.SwitchAsync(on: false);
        var refused = await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NewDataset(node.Unique("s-"), "probe.slots")), "kind");
        Assert.Equal("module_off", (string?)refused["code"]);

        await node.SwitchAsync(on: true);
        var slug = node.Unique("s-");
        var created = await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NewDataset(slug, "probe.slots")), 201);
        Assert.Equal("probe.slots", (string?)created["kind"]);
        Assert.Equal(1, (int)created["kindVersion"]!);
        Assert.Equal("public", (string?)created["policy"]);
        Assert.Equal(["note"], created["excludedFields"]!.AsArray().Select(f => (string?)f));
        Assert.Equal("/schemas/probe.slots.v1.json", (string?)created["schema"]!["$id"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(new SlotsKind().Schema), created["schema"]));

        // A custom dataset says so.
        var custom = await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NewDataset(node.Unique("c-"), null)), 201);
        Assert.Equal("custom", (string?)custom["kind"]);
        Assert.Equal(0, (int)custom["kindVersion"]!);
    }

    [Fact]
    public async Task A_kinds_schema_is_fixed_and_an_unknown_kind_is_refused()
    {
        using var admin = await node.AdminAsync();
        await node.SwitchAsync(on: true);
        var withSchema = await NodeFactory.ExpectValidation(
            await admin.PostAsync("/api/datasets", NewDataset(node.Unique("s-"), "probe.slots", ""","schema":{"type":"object"}""")), "schema");
        Assert.Equal("kind_schema_fixed", (string?)withSchema["code"]);
        Assert.Equal("unknown_kind", (string?)(await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NewDataset(node.Unique("s-"), "probe.nothing")), "kind"))["code"]);

        var slug = node.Unique("s-");
        await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NewDataset(slug, "probe.slots")), 201);
        var patched = await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{slug}", NodeFactory.Json("""{"schema":{"type":"object"}}""")), "schema");
        Assert.Equal("kind_schema_fixed", (string?)patched["code"]);
        await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{slug}", NodeFactory.Json("""{"kind":"custom"}""")), "kind");
    }

    [Fact]
    public async Task The_kinds_rule_holds_through_the_record_api_and_the_data_is_kept_while_the_module_is_off()
    {
        using var admin = await node.AdminAsync();
        await node.SwitchAsync(on: true);
        var slug = node.Unique("s-");
        await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NewDataset(slug, "probe.slots")), 201);
        await NodeFactory.Expect(await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"data":{"slot":"monday"}}""")), 201);
        var conflict = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"data":{"slot":"monday"}}"""));
        Assert.Equal(409, (int)conflict.StatusCode);
        Assert.Equal(SlotsKind.SlotTaken, (string?)JsonNode.Parse(await conflict.Content.ReadAsStringAsync())!["code"]);

        await node.SwitchAsync(on: false);
        // Off hides the module's own API and pages; the dataset and its records stay as they were.
        var records = await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}/records"), 200);
        Assert.Single(records["items"]!.AsArray());
        await node.SwitchAsync(on: true);
        Assert.Equal("probe.slots", (string?)(await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200))["kind"]);
    }
}
