using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Modules.Map.Services;
using Commons.Platform;

namespace Commons.Web.Tests;

/// <summary>
/// The map module switched on, with the organisation's profile, our need for a meeting room and our offer of a van, and
/// another node's meeting room replicated here: /map, /map/listings and /map/matches each have something to show.
/// </summary>
public static class MapSeed
{
    public const string Name = "Les Amis du Parc";
    public const string Need = "Cherche salle de réunion pour 20 personnes";
    public const string Offer = "Camionnette à prêter le week-end";
    public const string TheirOffer = "Vergaderzaal te huur";

    /// <summary>Returns the followed dataset whose replica holds the other node's offer.</summary>
    public static Subscription Open(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "map", true);
        var datasets = node.Service<DatasetService>();
        var records = node.Service<RecordService>();
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = node.Unique("profil-"), Title = new LocalizedText("Notre profil", "Ons profiel", "Our profile"), Kind = "map.profile" });
        node.Service<MapService>().PutProfile(UiNode.Admin, Doc($$$"""
            {"name":"{{{Name}}}","nickname":["Amis du Parc"],
             "description":{"fr":"Un potager collectif et une cuisine partagée au parc de Forest.","nl":"Een collectieve moestuin en een gedeelde keuken in het park van Vorst."},
             "mission":{"fr":"Nourrir le quartier ensemble.","nl":"Samen de buurt voeden."},
             "criteria":{"transformation":"Les habitants décident de l’usage du parc.","experiment":"Un potager ouvert à tous.","collective":"Assemblée mensuelle ouverte.","outside":"Aucun financement privé."},
             "sectors":["alimentation","culture"],"legal_form":"asbl_vzw","commune":"21007","languages":["fr","nl"],"primary_url":"https://amisduparc.example",
             "contact_details":{"email":"bonjour@amisduparc.example"}}
            """), null);
        var offers = node.Unique("offres-");
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = offers, Title = new LocalizedText("Offres et besoins", "Aanbod en vraag", "Offers and needs"), Kind = "map.offers" });
        records.Create(UiNode.Admin, offers, "besoin-salle", Doc($$$"""
            {"kind":"need","category":"place","title":"{{{Need}}}","description":"Pour notre assemblée mensuelle, un soir de semaine.","language":"fr",
             "capacity":{"amount":20,"unit":"persons"},"commune":"21007"}
            """));
        records.Create(UiNode.Admin, offers, "offre-camionnette", Doc($$$"""
            {"kind":"offer","category":"logistics","title":"{{{Offer}}}","language":"fr","conditions":[{"type":"free"}],"capacity":{"amount":8,"unit":"m3"},"commune":"21007"}
            """));
        var theirs = node.AddSubscription("Aanbod van de Kaai", SubscriptionState.Accepted, "kaai.invalid");
        node.AddReplicas(theirs, 1, _ => $$$"""
            {"kind":"offer","category":"place","title":"{{{TheirOffer}}}","description":"Vergaderzaal voor 30 personen, ’s avonds vrij.","language":"nl",
             "capacity":{"amount":30,"unit":"persons"},"commune":"21013","conditions":[{"type":"exchange"}]}
            """);
        return theirs;
    }

    private static JsonElement Doc(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
