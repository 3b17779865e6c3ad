using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Map.Kinds;

/// <summary>
/// The organisation behind the node: who it is, what it does and with whom, for the map of the network. Public by
/// default (being found is what it is for); its contact details stay home unless a steward decides otherwise. One per
/// node: the rule keeps which record it is, across every profile dataset.
/// </summary>
public sealed class ProfileKind : DatasetKind
{
    public const string KindName = "map.profile";
    internal const string Collection = "profile";
    private const string Key = "the-profile";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = MapSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Carte : profil de l’organisation", "Kaart: profiel van de organisatie", "Map: the organisation's profile");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
    public override IReadOnlyList<string> DefaultExcludedFields => ["contact_details", "telephone"];
    public override IReadOnlyList<string> ProblemCodes => MapCodes.OfProfile;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var held = Held(data);
        var mine = held is { } h && h.Dataset == write.Dataset.Slug && h.Id == write.Next.Id;
        if (write.IsDelete)
        {
            if (mine) data.Delete(Collection, Key);
            return;
        }
        if (held is not null && !mine)
            throw new RuleConflictException(MapCodes.ProfileExists, "Profile exists",
                $"this node already has its profile ('{held.Value.Id}' in '{held.Value.Dataset}'); change that one");
        if (!mine) data.Put(Collection, Key, JsonSerializer.SerializeToElement(new { dataset = write.Dataset.Slug, id = write.Next.Id }));
    }

    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data)
    {
        if (Held(data) is { } h && h.Dataset == dataset.Slug) data.Delete(Collection, Key);
    }

    /// <summary>Where the node's profile is, if it has one.</summary>
    internal static (string Dataset, string Id)? Held(IModuleData data) =>
        data.Get(Collection, Key) is { } doc ? (doc.GetProperty("dataset").GetString()!, doc.GetProperty("id").GetString()!) : null;
}
