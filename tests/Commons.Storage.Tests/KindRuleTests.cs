using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Storage.Tests.Support;

namespace Commons.Storage.Tests;

/// <summary>
/// A kind's rules run inside the record's write transaction, over the module's own documents: what they refuse leaves
/// nothing behind, what they write commits with the record, and concurrent writers cannot both pass a rule.
/// </summary>
public sealed class KindRuleTests : IDisposable
{
    /// <summary>Each slot may be held by one live record: the holder is kept in the module's "taken" collection.</summary>
    private sealed class SlotKind : DatasetKind
    {
        public override string Name => "test.slots";
        public override int SchemaVersion => 1;
        public override LocalizedText Title => new("Créneaux", "Tijdsloten", "Slots");
        public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
        public override IReadOnlyList<string> DefaultExcludedFields => ["note"];
        public override string Schema => """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["slot"],
             "properties":{"slot":{"type":"string","minLength":1},"hours":{"type":"integer"},"note":{"type":"string"}}}
            """;
        public bool FailAfterWriting { get; set; }

        public override void CheckWrite(RecordWrite write, IModuleData data)
        {
            if (write.Previous is { } previous) data.Delete("taken", previous.Data.GetProperty("slot").GetString()!);
            if (write.IsDelete) return;
            if (write.Next.Data.TryGetProperty("hours", out var hours) && hours.GetInt32() > 8)
                throw new RuleViolationException("too_long", "Too long", "a slot lasts at most 8 hours", "hours");
            var slot = write.Next.Data.GetProperty("slot").GetString()!;
            if (data.Get("taken", slot) is { } holder && holder.GetProperty("record").GetString() != write.Next.Id)
                throw new RuleConflictException("slot_taken", "Slot taken", $"slot {slot} is held by another record");
            data.Put("taken", slot, TestNode.Body($$"""{"record":"{{write.Next.Id}}"}"""));
            if (FailAfterWriting) throw new RuleViolationException("late_refusal", "Refused", "refused after writing");
        }
    }

    private readonly SlotKind _kind = new();
    private readonly TestNode _node;

    public KindRuleTests() => _node = new TestNode(kinds: new DatasetKindRegistry([_kind]));

    public void Dispose() => _node.Dispose();

    private Dataset Slots() => _node.Datasets.Create(TestNode.Admin, new DatasetDraft
    {
        Slug = "slots", Title = new LocalizedText("Slots", null, null), Kind = "test.slots",
    });

    private JsonElement? Holder(string slot) => _node.ModuleStore.Read("test", d => d.Get("taken", slot));

    [Fact]
    public void A_dataset_of_a_kind_takes_the_kinds_schema_policy_and_exclusions_and_keeps_them()
    {
        var d = Slots();
        Assert.Equal(("test.slots", 1, SharingPolicy.Public), (d.Kind, d.KindVersion, d.Policy));
        Assert.Equal(_kind.Schema, d.Schema);
        Assert.Equal(["note"], d.ExcludedFields);
        var stored = _node.DatasetStore.Find("slots")!;
        Assert.Equal(("test.slots", 1), (stored.Kind, stored.KindVersion));

        var change = Assert.Throws<ValidationException>(() => _node.Datasets.Update(TestNode.Admin, "slots", new DatasetDraft { Schema = Core.Datasets.DatasetRules.OpenSchema }));
        Assert.Equal(ProblemCodes.KindSchemaFixed, change.Code);
        var own = Assert.Throws<ValidationException>(() => _node.Datasets.Create(TestNode.Admin, new DatasetDraft
        {
            Slug = "own", Title = new LocalizedText("x", null, null), Kind = "test.slots", Schema = Core.Datasets.DatasetRules.OpenSchema,
        }));
        Assert.Equal(ProblemCodes.KindSchemaFixed, own.Code);
        var unknown = Assert.Throws<ValidationException>(() => _node.Datasets.Create(TestNode.Admin, new DatasetDraft
        {
            Slug = "other", Title = new LocalizedText("x", null, null), Kind = "test.nothing",
        }));
        Assert.Equal(ProblemCodes.UnknownKind, unknown.Code);
        Assert.Equal("custom", _node.CreateDataset("plain").Kind);
    }

    [Fact]
    public void A_rule_refusal_stores_nothing_and_a_passing_write_stores_the_rules_documents_with_the_record()
    {
        var d = Slots();
        var (first, _) = _node.Records.Create(TestNode.Admin, "slots", "a", TestNode.Body("""{"slot":"mon-9"}"""));
        Assert.Equal("a", Holder("mon-9")!.Value.GetProperty("record").GetString());

        var taken = Assert.Throws<RuleConflictException>(() => _node.Records.Create(TestNode.Admin, "slots", "b", TestNode.Body("""{"slot":"mon-9"}""")));
        Assert.Equal("slot_taken", taken.Code);
        var tooLong = Assert.Throws<RuleViolationException>(() => _node.Records.Create(TestNode.Admin, "slots", "c", TestNode.Body("""{"slot":"tue-9","hours":9}""")));
        Assert.Equal(("too_long", "hours"), (tooLong.Code, tooLong.Path));
        Assert.Null(_node.RecordStore.Get(d.Key, "b"));
        Assert.Null(_node.RecordStore.Get(d.Key, "c"));
        Assert.Equal(1, _node.Feed.LastSeq(d.Key));

        // Moving the record frees its slot in the same transaction; deleting it frees the new one.
        _node.Records.Update(TestNode.Admin, "slots", "a", TestNode.Body("""{"slot":"wed-9"}"""), null, first.Revision);
        Assert.Null(Holder("mon-9"));
        _node.Records.Create(TestNode.Admin, "slots", "b", TestNode.Body("""{"slot":"mon-9"}"""));
        _node.Records.Delete(TestNode.Admin, "slots", "a", null);
        Assert.Null(Holder("wed-9"));
        Assert.Equal(4, _node.Feed.LastSeq(d.Key));
    }

    [Fact]
    public void What_a_rule_wrote_before_refusing_is_rolled_back_with_the_record()
    {
        var d = Slots();
        _kind.FailAfterWriting = true;
        Assert.Throws<RuleViolationException>(() => _node.Records.Create(TestNode.Admin, "slots", "a", TestNode.Body("""{"slot":"mon-9"}""")));
        Assert.Null(Holder("mon-9"));
        Assert.Null(_node.RecordStore.Get(d.Key, "a"));
        Assert.Equal(0, _node.Feed.LastSeq(d.Key));
        Assert.Empty(_node.Notices.All);
    }

    [Fact]
    public async Task Of_fifty_concurrent_writes_that_want_one_slot_exactly_one_wins_and_the_feed_has_one_change()
    {
        var d = Slots();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(() =>
        {
            start.Wait();
            try
            {
                _node.Records.Create(TestNode.Admin, "slots", $"r{i:00}", TestNode.Body("""{"slot":"fri-14"}"""));
                return "won";
            }
            catch (RuleConflictException e) { return e.Code; }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o == "won");
        Assert.Equal(49, outcomes.Count(o => o == "slot_taken"));
        Assert.Equal(1, _node.Feed.LastSeq(d.Key));
        Assert.Equal(1, _node.RecordStore.Count(d.Key));
        var winner = _node.Feed.Since(d.Key, 0, 10).Single().RecordId;
        Assert.Equal(winner, Holder("fri-14")!.Value.GetProperty("record").GetString());
    }

    [Fact]
    public void A_dataset_whose_kind_the_code_no_longer_has_keeps_its_records_and_refuses_writes()
    {
        var d = Slots();
        _node.Records.Create(TestNode.Admin, "slots", "a", TestNode.Body("""{"slot":"mon-9"}"""));
        var orphan = new RecordServiceWithoutKinds(_node);
        var refused = Assert.Throws<ConflictException>(() => orphan.Service.Create(TestNode.Admin, "slots", "b", TestNode.Body("""{"slot":"tue-9"}""")));
        Assert.Equal(ProblemCodes.KindUnavailable, refused.Code);
        Assert.Equal(1, _node.RecordStore.Count(d.Key));
        Assert.NotNull(orphan.Service.Get(TestNode.Admin, "slots", "a"));
    }

    /// <summary>The same store read by services built without the kind, as a node whose module was removed from the code.</summary>
    private sealed class RecordServiceWithoutKinds(TestNode node)
    {
        public Core.Services.RecordService Service { get; } = new(
            new Core.Services.DatasetService(node.DatasetStore, node.RecordStore, node.MemberStore, node.Clock),
            node.RecordStore, node.Feed, node.Limits, node.Clock);
    }

    [Fact]
    public void A_kinds_record_write_keeps_the_decoded_dataset_whether_its_rules_accept_or_refuse()
    {
        Slots();
        _node.Records.Create(TestNode.Admin, "slots", "a", TestNode.Body("""{"slot":"mon-9"}"""));
        var before = _node.DatasetStore.Find("slots")!;
        _node.Records.Create(TestNode.Admin, "slots", null, TestNode.Body("""{"slot":"mon-10"}"""));
        Assert.Throws<RuleConflictException>(() => _node.Records.Create(TestNode.Admin, "slots", null, TestNode.Body("""{"slot":"mon-9"}""")));
        Assert.Same(before, _node.DatasetStore.Find("slots"));
        Assert.NotNull(Holder("mon-10"));
    }
}
