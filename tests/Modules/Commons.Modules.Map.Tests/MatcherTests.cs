using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Tests;

/// <summary>The matcher on small hand-made cases: each hard rule, the text work (languages, typos, accents, abbreviations, families), order and reasons.</summary>
public sealed class MatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 10, 0, 0, TimeSpan.FromHours(2));

    private static Listing L(string id, string kind, string title, string language = "fr", string category = "place", string org = "other",
        string? commune = null, Capacity? capacity = null, DateTimeOffset? from = null, DateTimeOffset? until = null, DateTimeOffset? expires = null,
        string description = "", bool closed = false) =>
        new()
        {
            Id = id, Source = "test", Organisation = org, Kind = kind, Category = category, Title = title, Language = language, Description = description,
            Commune = commune, Capacity = capacity, AvailableFrom = from, AvailableUntil = until, ExpiresAt = expires, Closed = closed,
        };

    private static Listing Need(string title, string language = "fr", string category = "place", Capacity? capacity = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, string? commune = null) =>
        L("need", Listing.Need, title, language, category, "us", commune, capacity, from, until);

    private static List<string> Ids(Listing need, params Listing[] offers) => Matcher.For(need, offers, Now).Select(m => m.Listing.Id).ToList();

    [Fact]
    public void Finds_the_offer_across_languages_through_the_vocabulary()
    {
        Assert.Equal(["zaal"], Ids(Need("Cherche une salle de réunion"), L("zaal", Listing.Offer, "Vergaderzaal te huur", "nl")));
        Assert.Equal(["bike"], Ids(Need("Bakfiets gezocht", "nl", "logistics"), L("bike", Listing.Offer, "Vélo cargo à prêter", category: "logistics")));
        Assert.Equal(["van"], Ids(Need("Need a van to move", "en", "logistics"), L("van", Listing.Offer, "Bestelwagen beschikbaar", "nl", "logistics")));
    }

    [Fact]
    public void Reads_typos_missing_accents_and_abbreviations()
    {
        var offer = L("compta", Listing.Offer, "Conseil en comptabilité pour associations", category: "skills");
        Assert.Equal(["compta"], Ids(Need("Aide comptabilte", category: "skills"), offer));
        Assert.Equal(["compta"], Ids(Need("aide COMPTABILITE", category: "skills"), offer));
        Assert.Equal(["compta"], Ids(Need("qqn pr la compta ?", category: "skills"), offer));
    }

    [Fact]
    public void Keeps_each_hard_rule()
    {
        var need = Need("Salle de réunion", capacity: new Capacity(20, "persons"),
            from: new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), until: new(2026, 5, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Empty(Ids(need, L("a", Listing.Offer, "Salle de réunion", category: "equipment")));
        Assert.Empty(Ids(need, L("b", Listing.Offer, "Salle de réunion", capacity: new Capacity(19, "persons"))));
        Assert.Equal(["c"], Ids(need, L("c", Listing.Offer, "Salle de réunion", capacity: new Capacity(20, "m2"))));
        Assert.Empty(Ids(need, L("d", Listing.Offer, "Salle de réunion", until: new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Empty(Ids(need, L("e", Listing.Offer, "Salle de réunion", expires: Now)));
        Assert.Equal(["f"], Ids(need, L("f", Listing.Offer, "Salle de réunion", expires: Now.AddMinutes(1))));
        Assert.Empty(Ids(need, L("g", Listing.Offer, "Salle de réunion", closed: true)));
        Assert.Empty(Ids(need, L("h", Listing.Need, "Salle de réunion")));
        Assert.Empty(Ids(need, L("i", Listing.Offer, "Salle de réunion", org: "us")));
    }

    [Fact]
    public void The_evaluation_now_is_the_one_given()
    {
        var offer = L("o", Listing.Offer, "Salle de réunion", expires: Now.AddDays(1));
        Assert.Single(Matcher.For(Need("Salle de réunion"), [offer], Now));
        Assert.Empty(Matcher.For(Need("Salle de réunion"), [offer], Now.AddDays(2)));
    }

    [Fact]
    public void A_sports_hall_is_no_meeting_room_even_though_both_are_rooms()
    {
        Assert.Equal(["meeting"], Ids(Need("Salle de réunion pour 20 personnes"),
            L("sport", Listing.Offer, "Salle de sport disponible"), L("meeting", Listing.Offer, "Salle de réunion disponible")));
    }

    [Fact]
    public void Matches_offers_to_needs_too_and_gives_its_reasons()
    {
        var offer = L("ours", Listing.Offer, "Camionnette disponible le samedi", category: "logistics", org: "us", commune: "21009");
        var match = Assert.Single(Matcher.For(offer, [L("n", Listing.Need, "Bestelwagen nodig", "nl", "logistics", commune: "21013")], Now));
        Assert.Contains(match.Reasons, r => r.Code == "category" && r.Detail == "logistics");
        Assert.Contains(match.Reasons, r => r.Code == "vocabulary" && r.Detail == "camionnette ↔ bestelwagen (van, transport)");
        Assert.Contains(match.Reasons, r => r.Code == "commune" && r.Detail.StartsWith("Ixelles → Saint-Gilles", StringComparison.Ordinal));
    }

    [Fact]
    public void The_nearer_commune_wins_a_tie()
    {
        var need = Need("Vélo cargo", category: "logistics", commune: "21013");
        var ids = Ids(need, L("far", Listing.Offer, "Vélo cargo", category: "logistics", commune: "21006"),
            L("near", Listing.Offer, "Vélo cargo", category: "logistics", commune: "21009"));
        Assert.Equal(["near", "far"], ids);
    }

    [Fact]
    public void Unrelated_offers_are_not_returned()
    {
        Assert.Empty(Ids(Need("Machine à coudre", category: "equipment"), L("p", Listing.Offer, "Vidéoprojecteur à prêter", category: "equipment")));
    }

    [Fact]
    public void Typos_are_allowed_only_on_longer_words_and_never_on_the_first_letter()
    {
        Assert.Equal(0, Spelling.AllowedEdits(4));
        Assert.Equal(1, Spelling.AllowedEdits(5));
        Assert.Equal(2, Spelling.AllowedEdits(8));
        var spelling = new Spelling();
        spelling.Add("location");
        spelling.Add("comptable");
        Assert.Empty(spelling.Near("vocation"));
        Assert.Equal(["comptable"], spelling.Near("comptabel"));
    }

    [Fact]
    public void The_nineteen_communes_have_fr_and_nl_names_and_centres()
    {
        Assert.Equal(19, Communes.All.Count);
        Assert.Equal(19, Communes.All.Select(c => c.Code).Distinct().Count());
        Assert.Equal("Sint-Jans-Molenbeek", Communes.Find("21012")!.Nl);
        Assert.Equal("Molenbeek-Saint-Jean", Communes.Find("21012")!.Fr);
        Assert.InRange(Communes.DistanceKm("21004", "21009")!.Value, 1, 4);
    }
}
