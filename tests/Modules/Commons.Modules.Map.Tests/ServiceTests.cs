using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>The module's service over a real store: the profile through the records service, its Murmurations export, matches over replicas.</summary>
public sealed class ServiceTests : IDisposable
{
    private readonly MapNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void The_profile_is_written_and_read_through_the_records_service_and_needs_a_profile_dataset()
    {
        Assert.Equal(MapCodes.NoProfile, Assert.Throws<NotFoundException>(() => _node.Map.Profile(MapNode.Alice)).Code);
        var json = MapNode.Doc("""{"name":"La Ruche Solidaire"}""");
        Assert.Equal(MapCodes.NoProfileDataset, Assert.Throws<ConflictException>(() => _node.Map.PutProfile(MapNode.Admin, json, null)).Code);
        _node.CreateDataset("profile", ProfileKind.KindName);
        Assert.Throws<ForbiddenException>(() => _node.Map.PutProfile(MapNode.Alice, json, null));
        var made = _node.Map.PutProfile(MapNode.Admin, json, null);
        var changed = _node.Map.PutProfile(MapNode.Admin, MapNode.Doc("""{"name":"La Ruche Solidaire asbl"}"""), made.Revision);
        Assert.Equal("La Ruche Solidaire asbl", _node.Map.Profile(MapNode.Alice).Data.GetProperty("name").GetString());
        Assert.Equal(made.Id, changed.Id);
        Assert.Equal(ProblemCodes.ValidationFailed, Assert.Throws<ValidationException>(() => _node.Map.PutProfile(MapNode.Admin, default, null)).Code);
    }

    [Fact]
    public void The_murmurations_export_has_the_organisations_shape_and_never_the_fields_kept_home()
    {
        _node.CreateDataset("profile", ProfileKind.KindName);
        _node.Map.PutProfile(MapNode.Admin, MapNode.Doc("""
            {"name":"Coopérative Graine de Sel","nickname":["Graine de Sel"],"description":{"fr":"Épicerie coopérative.","en":"Cooperative grocery."},
             "sectors":["food"],"primary_url":"https://graine.example","country_iso_3166":"BE","geolocation":{"lat":50.8263,"lon":4.3722},
             "contact_details":{"email":"bonjour@graine.example"},"telephone":"+32 2 000 00 00",
             "relationships":[{"predicate":"member_of","object_url":"https://reseau.example"}]}
            """), null);
        var export = MurmurationsExport.Of(_node.Map.Profile(MapNode.Alice));
        Assert.Equal("organizations_schema-v1.0.0", (string?)export["linked_schemas"]![0]);
        Assert.Equal("Coopérative Graine de Sel", (string?)export["name"]);
        Assert.Equal("Graine de Sel", (string?)export["nickname"]);
        Assert.Equal("Cooperative grocery.", (string?)export["description"]);
        Assert.Equal("food", (string?)export["tags"]![0]);
        Assert.Equal(50.8263m, (decimal)export["geolocation"]!["lat"]!);
        Assert.Equal("https://schema.org/memberOf", (string?)export["relationships"]![0]!["predicate_url"]);
        Assert.Null(export["contact_details"]);
        Assert.Null(export["telephone"]);
        Assert.DoesNotContain("bonjour@", export.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Our_needs_meet_offers_of_accepted_replicas_and_of_other_organisations_never_our_own()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr","commune":"21013"}"""));
        _node.Records.Create(MapNode.Admin, "offers", "our-room", MapNode.Doc("""{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}"""));
        _node.Records.Create(MapNode.Admin, "offers", "partner-room", MapNode.Doc("""{"kind":"offer","category":"place","title":"Salle de réunion du voisin","language":"fr","organisation":"Voisins asbl"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl","commune":"21009"}"""),
            ("not-a-listing", """{"name":"a room of a custom dataset"}"""));
        _node.Follow("c.example", "sub-c", SubscriptionState.Pending,
            ("pending-room", """{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}"""));

        var matches = _node.Map.Matches(MapNode.Alice);
        Assert.All(matches, m => Assert.Equal("need-room", m.Ours.Id));
        Assert.Equal(["partner-room", "zaal"], matches.Select(m => m.Match.Listing.Id).Order());
        var zaal = matches.Single(m => m.Match.Listing.Id == "zaal").Match.Listing;
        Assert.Equal("b.example", zaal.Organisation);
        Assert.Equal("https://b.example/datasets/offers/records/zaal", zaal.Source);

        _node.Subscriptions.Upsert(_node.Subscriptions.Find("sub-b")! with { State = SubscriptionState.Ended });
        Assert.Equal(["partner-room"], _node.Map.Matches(MapNode.Alice).Select(m => m.Match.Listing.Id));
        Assert.Throws<NotFoundException>(() => _node.Map.Matches(MapNode.Alice, "no-such-listing"));
    }
}
