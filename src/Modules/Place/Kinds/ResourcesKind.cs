using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// The place's rooms and movable items. Public by default: what can be booked, and when it is open, is what peers
/// follow the dataset for; its actor is the one peers send <c>place.book</c> requests to. Its rules keep the resource
/// index the bookings' rules read.
/// </summary>
public sealed class ResourcesKind : DatasetKind
{
    public const string KindName = "place.resources";

    public override string Name => KindName;
    public override int SchemaVersion => 2;
    public override string Schema { get; } = PlaceSchemas.Read(KindName, 2);
    public override LocalizedText Title => new("Lieu partagé : ressources", "Gedeelde plek: middelen", "Shared place: resources");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
    public override IReadOnlyList<string> ProblemCodes => PlaceCodes.OfResources;
    /// <summary>A booking that needs a steward's approval may wait for them for days; the asking node keeps it pending that long.</summary>
    public override TimeSpan RequestTimeout => TimeSpan.FromDays(7);

    /// <summary>A resource's quota is governed (place.quota, scope: the dataset): setting, changing or removing it; not deleting the resource.</summary>
    public override (string Setting, string Scope)? GovernedChange(Dataset dataset, JsonElement? before, JsonElement? after) =>
        after is { } next && QuotaOf(before) != QuotaOf(next)
            ? (Commons.Core.Governance.GovernedSettings.PlaceQuota, dataset.Slug) : null;

    public static int? QuotaOf(JsonElement? resource) =>
        resource is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("quotaHoursPerMonth", out var q) && q.TryGetInt32(out var h) ? h : null;

    /// <summary>Version 1's records are version 2 records as they are: v2 only adds optional fields.</summary>
    public override JsonElement Upgrade(int fromVersion, JsonElement data) => fromVersion == 1 ? data : base.Upgrade(fromVersion, data);

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new PlaceIndex(data);
        var id = write.Next.Id;
        // Bookings name a resource by its record id alone, so one id means one resource across the node.
        if (index.Resource(id) is { } held && held.Dataset != write.Dataset.Slug)
            throw new RuleConflictException(PlaceCodes.ResourceIdTaken, "Resource id taken",
                $"resource '{id}' already exists in '{held.Dataset}'");
        if (write.IsDelete)
        {
            if (index.HasBookingsFrom(id, write.Next.UpdatedAt))
                throw new RuleConflictException(PlaceCodes.ResourceInUse, "Resource in use",
                    $"resource '{id}' has confirmed bookings to come; cancel them before removing it");
            index.RemoveResource(id);
            return;
        }
        CheckClosures(write.Next.Data);
        index.PutResource(id, write.Dataset.Slug, write.Next.Data);
    }

    /// <summary>The schema checks a closure's dates exist; here they must come in order.</summary>
    private static void CheckClosures(JsonElement resource)
    {
        if (!resource.TryGetProperty("closures", out var closures)) return;
        var i = 0;
        foreach (var closure in closures.EnumerateArray())
        {
            if (ResourceTerms.Date(closure.GetProperty("until")) < ResourceTerms.Date(closure.GetProperty("from")))
                throw new RuleViolationException(PlaceCodes.InvalidClosure, "Ends before it starts", "a closure's until is on or after its from", $"closures/{i}/until");
            i++;
        }
    }

    /// <summary>Deleting the dataset deletes its resources: refused while one has bookings to come, as for one resource.</summary>
    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        var index = new PlaceIndex(data);
        var resources = index.ResourcesOf(dataset.Slug);
        if (resources.FirstOrDefault(r => index.HasBookingsFrom(r, at)) is { } busy)
            throw new RuleConflictException(PlaceCodes.ResourceInUse, "Resource in use",
                $"resource '{busy}' of '{dataset.Slug}' has confirmed bookings to come; cancel them before deleting the dataset");
        foreach (var id in resources) index.ForgetResource(id);
    }
}
