using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>The kinds' rules inside real writes on a real LiteDB store: one profile per node, offers' windows, expiry, amounts and prices.</summary>
public sealed class RuleTests : IDisposable
{
    private readonly MapNode _node = new();

    public RuleTests()
    {
        _node.CreateDataset("profile", ProfileKind.KindName);
        _node.CreateDataset("profile-two", ProfileKind.KindName);
        _node.CreateDataset("offers", OffersKind.KindName);
    }

    public void Dispose() => _node.Dispose();

    [Fact]
    public void A_second_profile_on_the_node_is_refused_in_any_profile_dataset_and_allowed_again_once_the_first_is_deleted()
    {
        _node.Records.Create(MapNode.Admin, "profile", "us", MapNode.Doc("""{"name":"La Ruche Solidaire"}"""));
        _node.Records.Update(MapNode.Admin, "profile", "us", MapNode.Doc("""{"name":"La Ruche Solidaire asbl"}"""), null, null);
        var same = Assert.Throws<RuleConflictException>(() => _node.Records.Create(MapNode.Admin, "profile", "other", MapNode.Doc("""{"name":"Autre"}""")));
        Assert.Equal(MapCodes.ProfileExists, same.Code);
        var elsewhere = Assert.Throws<RuleConflictException>(() => _node.Records.Create(MapNode.Admin, "profile-two", "us", MapNode.Doc("""{"name":"Autre"}""")));
        Assert.Equal(MapCodes.ProfileExists, elsewhere.Code);

        _node.Records.Delete(MapNode.Admin, "profile", "us", null);
        _node.Records.Create(MapNode.Admin, "profile-two", "us", MapNode.Doc("""{"name":"La Ruche Solidaire"}"""));
    }

    [Fact]
    public void Deleting_the_profile_dataset_frees_the_node_for_a_new_profile()
    {
        _node.Records.Create(MapNode.Admin, "profile", "us", MapNode.Doc("""{"name":"La Ruche"}"""));
        _node.Datasets.Delete(MapNode.Admin, "profile");
        _node.Records.Create(MapNode.Admin, "profile-two", "us", MapNode.Doc("""{"name":"La Ruche"}"""));
    }

    [Theory]
    [InlineData("""{"available_from":"2026-05-01T00:00:00+02:00","available_until":"2026-05-01T00:00:00+02:00"}""", MapCodes.AvailabilityEndsBeforeStart)]
    [InlineData("""{"available_from":"2026-05-02T00:00:00+02:00","available_until":"2026-05-01T00:00:00+02:00"}""", MapCodes.AvailabilityEndsBeforeStart)]
    [InlineData("""{"expires_at":"2026-03-31T00:00:00+02:00"}""", MapCodes.ExpiryInPast)]
    [InlineData("""{"available_from":"2026-04-31T00:00:00+02:00"}""", MapCodes.InvalidInstant)]
    [InlineData("""{"conditions":[{"type":"price_eur","amount":-1,"unit":"hour"}]}""", MapCodes.AmountNegative)]
    [InlineData("""{"conditions":[{"type":"free"},{"type":"credit","amount":-0.5,"unit":"hour","currency":"zinne"}]}""", MapCodes.AmountNegative)]
    [InlineData("""{"conditions":[{"type":"price_eur","amount":20}]}""", MapCodes.PriceIncomplete)]
    [InlineData("""{"conditions":[{"type":"price_eur","unit":"day"}]}""", MapCodes.PriceIncomplete)]
    [InlineData("""{"conditions":[{"type":"credit","amount":2,"unit":"hour"}]}""", MapCodes.CreditIncomplete)]
    [InlineData("""{"conditions":[{"type":"credit","unit":"hour","currency":"zinne"}]}""", MapCodes.CreditIncomplete)]
    [InlineData("""{"capacity":{"amount":0,"unit":"persons"}}""", MapCodes.CapacityNotPositive)]
    [InlineData("""{"capacity":{"amount":1e40,"unit":"persons"}}""", MapCodes.AmountNegative)]
    [InlineData("""{"conditions":[{"type":"price_eur","amount":-1e40,"unit":"hour"}]}""", MapCodes.AmountNegative)]
    public void A_listing_breaking_a_rule_is_refused_with_its_own_code(string extra, string code)
    {
        var e = Assert.Throws<RuleViolationException>(() => _node.Records.Create(MapNode.Admin, "offers", null, Listing(extra)));
        Assert.Equal(code, e.Code);
        Assert.Empty(_node.Records.List(MapNode.Admin, "offers", new Core.Records.RecordQuery()).Items);
    }

    [Fact]
    public void A_complete_listing_is_stored_and_an_expired_one_may_still_be_closed()
    {
        var (record, _) = _node.Records.Create(MapNode.Admin, "offers", "room", Listing("""
            {"available_from":"2026-04-02T00:00:00+02:00","available_until":"2026-06-30T00:00:00+02:00","expires_at":"2026-04-03T00:00:00+02:00",
             "conditions":[{"type":"free"},{"type":"price_eur","amount":0,"unit":"hour"},{"type":"credit","amount":1.5,"unit":"hour","currency":"zinne"}],
             "capacity":{"amount":25,"unit":"persons"},"commune":"21009","contact":{"email":"salle@example.org"}}
            """));
        _node.Clock.Advance(TimeSpan.FromDays(5));
        var closed = record.Data.ToString().Replace("\"kind\"", "\"status\":\"closed\",\"kind\"", StringComparison.Ordinal);
        _node.Records.Update(MapNode.Admin, "offers", "room", MapNode.Doc(closed), null, null);
    }

    [Fact]
    public void The_schema_refuses_what_is_not_a_listing_before_any_rule()
    {
        var e = Assert.ThrowsAny<CommonsException>(() => _node.Records.Create(MapNode.Admin, "offers", null,
            MapNode.Doc("""{"kind":"gift","category":"place","title":"x","language":"fr"}""")));
        Assert.Equal(ProblemCodes.ValidationFailed, e.Code);
    }

    [Fact]
    public void The_kinds_start_shared_as_the_issue_says_with_contact_kept_home()
    {
        Assert.Equal(Core.Datasets.SharingPolicy.Public, _node.DatasetStore.Find("profile")!.Policy);
        Assert.Equal(Core.Datasets.SharingPolicy.Approval, _node.DatasetStore.Find("offers")!.Policy);
        Assert.Contains("contact_details", _node.DatasetStore.Find("profile")!.ExcludedFields);
        Assert.Contains("telephone", _node.DatasetStore.Find("profile")!.ExcludedFields);
        Assert.Contains("contact", _node.DatasetStore.Find("offers")!.ExcludedFields);
    }

    private static System.Text.Json.JsonElement Listing(string extra)
    {
        var basic = System.Text.Json.Nodes.JsonNode.Parse("""{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}""")!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(extra)!.AsObject()) basic[key] = value?.DeepClone();
        return System.Text.Json.JsonSerializer.SerializeToElement(basic);
    }
}
