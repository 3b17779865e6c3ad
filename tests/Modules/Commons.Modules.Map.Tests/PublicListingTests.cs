using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.PublicData;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The node's listing of its public datasets (spec §4.4) as built and as read: only public datasets, whatever else the
/// node holds, with no count of the others; the kind filter; a reader that takes nothing another host's listing claims.
/// </summary>
public sealed class PublicListingTests
{
    private static readonly ActivityUris Uris = new("https://b.example");

    private static Dataset Of(string slug, SharingPolicy policy, string kind = "map.profile") =>
        new() { Slug = slug, Kind = kind, Title = new LocalizedText(slug, null, null), Schema = "{}", Policy = policy };

    [Fact]
    public void Only_public_datasets_are_listed_and_nothing_counts_the_others()
    {
        var datasets = new[]
        {
            Of("secret", SharingPolicy.Private), Of("peers", SharingPolicy.Peers), Of("asked", SharingPolicy.Approval),
            Of("profile", SharingPolicy.Public), Of("offers", SharingPolicy.Public, "map.offers"), Of("notes", SharingPolicy.Public, "custom"),
        };
        var all = PublicDatasetsDocument.Build(datasets, Uris, null);
        Assert.Equal(["id", "datasets"], all.Select(p => p.Key));
        Assert.Equal(["notes", "offers", "profile"], all["datasets"]!.AsArray().Select(d => ((string)d!["actor"]!)[(Uris.Base.Length + 10)..]));
        Assert.DoesNotContain("secret", all.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("asked", all.ToJsonString(), StringComparison.Ordinal);

        var profiles = PublicDatasetsDocument.Build(datasets, Uris, "map.profile");
        Assert.Equal("https://b.example/nodeinfo/datasets?kind=map.profile", (string)profiles["id"]!);
        var read = PublicDatasetsDocument.Read(JsonDocument.Parse(profiles.ToJsonString()).RootElement, new Uri("https://b.example/"), "map.profile");
        Assert.Equal([new PublicDataset("https://b.example/datasets/profile", "map.profile", "https://b.example/datasets/profile/outbox")], read);
    }

    [Fact]
    public void A_listing_that_names_another_hosts_dataset_or_is_no_listing_gives_nothing()
    {
        var elsewhere = JsonDocument.Parse("""
            {"datasets":[{"actor":"https://c.example/datasets/profile","kind":"map.profile","outbox":"https://c.example/datasets/profile/outbox"},
                         {"actor":"https://b.example/datasets/p","kind":"map.profile","outbox":"https://c.example/outbox"},
                         {"actor":"https://b.example/datasets/q","kind":"map.offers","outbox":"https://b.example/datasets/q/outbox"}, 7]}
            """).RootElement;
        Assert.Empty(PublicDatasetsDocument.Read(elsewhere, new Uri("https://b.example/"), "map.profile"));
        var e = Assert.Throws<PublicFetchException>(() => PublicDatasetsDocument.Read(JsonDocument.Parse("[]").RootElement, new Uri("https://b.example/"), "map.profile"));
        Assert.Equal(PublicFetchFailure.Malformed, e.Failure);
    }

    [Fact]
    public void NodeInfo_links_the_listing_in_its_metadata()
    {
        var info = NodeInfoDocuments.NodeInfo("1.0.0", 3, "B", PublicDatasetsDocument.Url(Uris));
        Assert.Equal("https://b.example/nodeinfo/datasets", (string)info["metadata"]![PublicDatasetsDocument.MetadataKey]!);
    }
}
