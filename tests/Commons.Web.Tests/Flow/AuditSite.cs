using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Modules.Committee.Resources;
using Commons.Modules.Credit.Resources;
using Commons.Modules.Employers.Resources;
using Commons.Modules.Map.Resources;
using Commons.Modules.Place.Resources;
using Commons.Modules.Place.Services;
using Commons.Node.Web.Resources;
using Commons.Platform;
using Microsoft.Extensions.Localization;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// One page of the interface as the audit opens it: where it is, the short name its screenshots carry, the heading it
/// must show in a language (read from the node's own resources, or the data the page is about), and the HTTP status
/// it answers with.
/// </summary>
public sealed record AuditedPage(string Path, string Name, Func<PageTexts, string> Heading, int Status = 200);

/// <summary>The node's strings in one culture, read through its own localizers: the audit never writes a translation twice.</summary>
public sealed class PageTexts(IStringLocalizerFactory factory, CultureInfo culture)
{
    public CultureInfo Culture => culture;
    public string Language => culture.TwoLetterISOLanguageName;

    public string Get<TResource>(string key, params object[] args)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var text = factory.Create(typeof(TResource))[key, args];
            Assert.False(text.ResourceNotFound, $"no resource {typeof(TResource).Name}.{key}");
            return text.Value;
        }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    public string In(LocalizedText text, string fallback) => text.In(Language) ?? fallback;
}

/// <summary>
/// A node with something on every page (a dataset with a schema and a record, a follower, a subscription, an incoming
/// request, a member, an open invitation, the shared place on with a resource and a booking, the map on with a profile, an offer, a need and another node's offer) and the list of its pages:
/// every <c>@page</c> of src/Commons.Node/Web/Pages and of the Place and Map modules, signed in as the administrator, plus the
/// pages a visitor meets signed out.
/// </summary>
public sealed class AuditSite
{
    public UiNode Node { get; }
    public IReadOnlyList<AuditedPage> SignedOut { get; }
    public IReadOnlyList<AuditedPage> SignedIn { get; }

    public AuditSite(UiNode node)
    {
        Node = node;
        var title = new LocalizedText("Salles du quartier", "Zalen van de wijk", "Neighbourhood rooms");
        var slug = node.Unique("rooms-");
        node.Service<DatasetService>().Create(UiNode.Admin, new DatasetDraft { Slug = slug, Title = title, Policy = SharingPolicy.Approval, Schema = UiNode.RoomsSchema });
        var record = node.AddRecord(slug, """{"name":"Salle Aurore","seats":20,"kind":"hall","address":{"city":"Bruxelles"},"tags":["calme"]}""");
        var follower = node.AddFollower(slug, "peer.example", FollowerState.Accepted, approvedBy: "admin");
        var request = node.AddIncomingRequest(slug);
        var subscription = node.AddSubscription("Offers and needs", SubscriptionState.Accepted);
        node.AddReplicas(subscription, 2, i => $$"""{"name":"Offre {{i}}","commune":"Anderlecht"}""");
        var member = node.Unique("camille");
        node.Service<MemberService>().Register(member, "Camille Dupont", UiNode.MemberPassword, MemberRole.Member);
        // Tables that only show when they have rows: the dataset's grants, a blocked domain.
        node.Service<DatasetService>().SetGrant(UiNode.Admin, slug, member, GrantRole.Editor);
        node.Service<Commons.Federation.Http.DomainRuleService>().Add(UiNode.Admin, Commons.Federation.Http.DomainList.Blocked, "spam.example");
        var invitation = node.StoreInvitation(MemberRole.Member, DateTimeOffset.UtcNow.AddDays(7));
        var (resource, booking) = OpenThePlace(node);
        MapSeed.Open(node);
        OpenTheDirectory(node);
        var (openMonth, closedMonth) = EmployersSeed.Open(node);
        var membership = EmployersSeed.Membership(node);
        OpenTheCredit(node);
        var (proposals, proposal, followedProposals) = CommitteeSeed.Open(node);

        string Records(string rest = "") => $"/datasets/{slug}/records{rest}";
        SignedOut =
        [
            new("/signin", "signin", t => t.Get<Ui>("SignInTitle")),
            new($"/invite/{invitation}", "invite", t => t.Get<MembersText>("InviteTitle")),
            new("/nulle-part/rien", "not-found", t => t.Get<Ui>("NotFoundTitle"), 404),
        ];
        SignedIn =
        [
            new("/", "dashboard", t => t.Get<Ui>("Dashboard")),
            new("/datasets", "datasets", t => t.Get<Ui>("Datasets")),
            new("/datasets/new", "dataset-new", t => t.Get<DatasetsText>("NewTitle")),
            new($"/datasets/{slug}", "dataset", t => t.In(title, slug)),
            new($"/datasets/{slug}/edit", "dataset-edit", t => t.Get<DatasetsText>("EditTitle", t.In(title, slug))),
            new($"/datasets/{slug}/sharing", "sharing", t => t.Get<FederationText>("SharingTitle", t.In(title, slug))),
            new($"/datasets/{slug}/sharing/remove?actor={Uri.EscapeDataString(follower.ActorUri)}", "sharing-remove", t => t.Get<FederationText>("RemoveTitle")),
            new(Records("/new"), "record-new", t => t.Get<RecordsText>("NewRecordTitle")),
            new(Records($"/{record.Id}"), "record", _ => "Salle Aurore"),
            new(Records($"/{record.Id}/delete"), "record-delete", t => t.Get<DisplayText>("DeleteTitle", "Salle Aurore")),
            new($"/datasets/{slug}/display", "dataset-display", t => t.Get<DisplayText>("DisplayTitle", t.In(title, slug))),
            new("/subscriptions", "subscriptions", t => t.Get<Ui>("Subscriptions")),
            new($"/subscriptions/{subscription.Id}", "subscription", _ => subscription.Name!),
            new($"/subscriptions/{subscription.Id}/records/r000", "subscription-record", _ => "Record 0"),
            new($"/subscriptions/{subscription.Id}/unfollow", "subscription-unfollow", t => t.Get<FederationText>("UnfollowTitle")),
            new("/exchanges", "exchanges", t => t.Get<ExchangesText>("Title")),
            new($"/exchanges/{request.Ref}", "exchange", t => $"{t.Get<ExchangesText>($"Heading_{request.Direction}")} · {t.Get<ExchangesText>($"State_{request.State}")}"),
            new("/account", "account", t => t.Get<MembersText>("AccountTitle")),
            new("/members", "members", t => t.Get<MembersText>("MembersTitle")),
            new($"/members/{member}", "member", _ => $"Camille Dupont ({member})"),
            new("/admin", "admin", t => t.Get<Ui>("Administration")),
            new("/admin/deliveries", "admin-deliveries", t => t.Get<AdminText>("Deliveries")),
            new("/admin/federation", "admin-federation", t => t.Get<AdminText>("Federation")),
            new("/admin/modules", "admin-modules", t => t.Get<AdminText>("Modules")),
            new("/admin/organisation", "admin-organisation", t => t.Get<AdminText>("Organisation")),
            new("/admin/backup", "admin-backup", t => t.Get<AdminText>("Backup")),
            new("/place", "place", t => t.Get<PlaceText>("PlaceTitle")),
            new($"/place/resources/{resource}", "place-resource", t => t.In(HallName, resource)),
            new("/place/book", "place-book", t => t.Get<PlaceText>("BookTitle")),
            new($"/place/bookings/{booking}/cancel", "place-cancel", t => t.Get<PlaceText>("CancelTitle")),
            new("/place/approvals", "place-approvals", t => t.Get<PlaceText>("ApprovalsTitle")),
            new("/place/elsewhere", "place-elsewhere", t => t.Get<PlaceText>("ElsewhereTitle")),
            new("/place/elsewhere/book", "place-elsewhere-book", t => t.Get<PlaceText>("ElsewhereBookTitle")),
            new("/place/elsewhere/bookings", "place-elsewhere-bookings", t => t.Get<PlaceText>("ElsewhereBookingsTitle")),
            new("/place/usage", "place-usage", t => t.Get<UsageText>("UsageTitle")),
            new("/place/calendars", "place-calendars", t => t.Get<CalendarText>("CalendarsTitle")),
            new("/map", "map-profile", t => t.Get<MapText>("ProfileTitle")),
            new("/map/listings", "map-listings", t => t.Get<MapText>("ListingsTitle")),
            new("/map/matches", "map-matches", t => t.Get<MapText>("MatchesTitle")),
            new("/map/directory", "map-directory", t => t.Get<NetworkText>("DirectoryTitle")),
            new("/map/drawing", "map-drawing", t => t.Get<NetworkText>("DrawingTitle")),
            new("/employers", "employers", t => t.Get<EmployersText>("EmployersTitle")),
            new("/employers/workers/new", "employers-worker-new", t => t.Get<EmployersText>("NewWorkerTitle")),
            new($"/employers/workers/{EmployersSeed.Worker}", "employers-worker", t => t.Get<EmployersText>("EditWorkerTitle")),
            new("/employers/assignments", "employers-assignments", t => t.Get<EmployersText>("AssignmentsTitle")),
            new($"/employers/months/{openMonth}", "employers-month-open", t => t.Get<EmployersText>("MonthTitle", EmployersSeed.MonthIn(openMonth, t.Culture))),
            new($"/employers/months/{openMonth}/close", "employers-close", t => t.Get<EmployersText>("CloseTitle", EmployersSeed.MonthIn(openMonth, t.Culture))),
            new($"/employers/months/{closedMonth}", "employers-month-closed", t => t.Get<EmployersText>("MonthTitle", EmployersSeed.MonthIn(closedMonth, t.Culture))),
            new($"/employers/memberships/{membership}", "employers-membership-unreachable", t => t.Get<EmployersText>("MembershipTitle", EmployersSeed.Group), 502),
            new($"/employers/memberships/{membership}/statements/{closedMonth}", "employers-statement-unreachable",
                t => t.Get<EmployersText>("StatementOfMonth", EmployersSeed.MonthIn(closedMonth, t.Culture)), 502),
            new("/credit", "credit", t => t.Get<CreditText>("CreditTitle")),
            new("/credit/pay", "credit-pay", t => t.Get<CreditText>("PayTitle")),
            new("/credit/bill", "credit-bill", t => t.Get<CreditText>("BillTitle")),
            new("/credit/bills", "credit-bills", t => t.Get<CreditText>("BillsTitle")),
            new("/credit/history", "credit-history", t => t.Get<CreditText>("HistoryTitle")),
            new("/credit/audit", "credit-audit", t => t.Get<CreditText>("AuditTitle")),
            new("/committee", "committee", t => t.Get<CommitteeText>("HomeTitle")),
            new("/committee/new", "committee-new", t => t.Get<CommitteeText>("NewTitle")),
            new($"/committee/ours/{proposals}/{proposal}", "committee-proposal", t => t.In(CommitteeSeed.ProposalTitle, proposal)),
            new($"/committee/followed/{followedProposals}/r000", "committee-proposal-followed", t => t.In(CommitteeSeed.ProposalTitle, "r000")),
            new("/committee/decisions", "committee-decisions", t => t.Get<CommitteeText>("DecisionsTitle")),
            new("/committee/decisions/closed", "committee-decision", t => t.Get<CommitteeText>("DecisionTitle")),
            new("/committee/decisions/closed?recount=1", "committee-recount", t => t.Get<CommitteeText>("DecisionTitle")),
            new("/committee/members", "committee-members", t => t.Get<CommitteeText>("MembersTitle")),
            new("/credit/groups", "credit-groups", t => t.Get<CreditText>("GroupsTitle")),
            new("/nulle-part/rien", "not-found-signed-in", t => t.Get<Ui>("NotFoundTitle"), 404),
        ];
    }

    private static readonly LocalizedText HallName = new("Grande salle", "Grote zaal", "Main hall");

    /// <summary>The map on, and a followed map.profile dataset whose organisation the directory and the drawings show (mapdir).</summary>
    private static void OpenTheDirectory(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "map", true);
        var s = node.AddSubscription("Profil", SubscriptionState.Accepted, "velo.example") with
        {
            Schema = """{"$id":"/schemas/map.profile.v1.json","type":"object"}""",
        };
        node.Service<ISubscriptionStore>().Upsert(s);
        node.AddReplicas(s, 1, _ => """{"name":"Atelier vélo du canal","commune":"21012","sectors":["mobilité"],"languages":["fr","nl"]}""");
    }

    /// <summary>Mutual credit on, with a group of this node and another defined here and this node's ledger joined to it (creditpages).</summary>
    private static void OpenTheCredit(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "credit", true);
        var datasets = node.Service<DatasetService>();
        var ledger = node.Unique("credit-ledger-");
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = ledger, Title = new LocalizedText("Compte", "Rekening", "Account"), Kind = "credit.ledger" });
        var groups = node.Unique("credit-groups-");
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = groups, Title = new LocalizedText("Groupes", "Groepen", "Groups"), Kind = "credit.group" });
        var proofs = node.Service<IObjectProofs>();
        using var terms = JsonDocument.Parse($$"""
            {"unit":{"name":{"fr":"Zinne","nl":"Zinne","en":"Zinne"},"symbol":"ŧ","precision":2},
             "members":[{"actor":"{{proofs.ActorOf(null)}}","ledger":"{{proofs.ActorOf(ledger)}}"},
                        {"actor":"https://velo.example/actor","ledger":"https://velo.example/datasets/compte"}],
             "lowest":"-100","highest":"100"}
            """);
        node.Service<RecordService>().Create(UiNode.Admin, groups, "sel", terms.RootElement.Clone());
        node.Service<Commons.Modules.Credit.Services.CreditService>().Join(UiNode.Admin, ledger, "sel", null, proofs.ActorOf(null));
    }

    /// <summary>The shared place switched on, with a hall and a confirmed booking of it by the administrator tomorrow, and a studio's booking awaiting approval.</summary>
    private static (string Resource, string Booking) OpenThePlace(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "place", true);
        var datasets = node.Service<DatasetService>();
        var rooms = node.Unique("place-rooms-");
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = rooms, Title = new LocalizedText("Salles", "Zalen", "Rooms"), Kind = "place.resources" });
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = node.Unique("place-bookings-"), Title = new LocalizedText("Réservations", "Reservaties", "Bookings"), Kind = "place.bookings" });
        using var hall = JsonDocument.Parse("""
            {"name":{"fr":"Grande salle","nl":"Grote zaal","en":"Main hall"},"category":"room","maximumAttendeeCapacity":80,
             "description":{"fr":"Au rez-de-chaussée, porte de droite.","nl":"Gelijkvloers, rechterdeur.","en":"Ground floor, right-hand door."},
             "accessibilityFeature":["stepFreeAccess"]}
            """);
        node.Service<RecordService>().Create(UiNode.Admin, rooms, "hall", hall.RootElement.Clone());
        var tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(9);
        var booking = node.Service<PlaceService>().Book(UiNode.Admin, new BookingRequest("hall", tomorrow, tomorrow.AddHours(2), "Assemblée générale", "Les Amis du Parc"));
        // A studio booked on a steward's approval, with one booking waiting: the approvals page shows its table.
        using var studio = JsonDocument.Parse("""{"name":{"fr":"Studio","nl":"Studio","en":"Studio"},"category":"room","approval":"steward"}""");
        node.Service<RecordService>().Create(UiNode.Admin, rooms, "studio", studio.RootElement.Clone());
        node.Service<PlaceService>().Book(UiNode.Admin, new BookingRequest("studio", tomorrow, tomorrow.AddHours(1), "Répétition", null));
        return ("hall", booking.Id);
    }
}
