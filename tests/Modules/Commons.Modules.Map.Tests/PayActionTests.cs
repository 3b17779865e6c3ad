using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Payments;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// An offer priced in credit that fits one of our needs is paid from here: the match links to the credit module's pay
/// form (<see cref="ICreditPayments.PayFormPath"/>) with the offering node's actor, the price and the offer's title —
/// only when that port is registered and gives a path; otherwise the match has no pay link.
/// </summary>
public sealed class PayActionTests : IDisposable
{
    private readonly MapNode _node = new();

    public void Dispose() => _node.Dispose();

    /// <summary>A test double of the credit module's port: the group is the nodes listed; every call is kept.</summary>
    private sealed class GroupPayments(params string[] members) : ICreditPayments
    {
        public List<(string Payee, decimal? Amount, string? Memo)> Asked { get; } = [];
        public CreditUnit? Unit => new("ZINNE", 2);
        public Task<PaymentRequest> BillAsync(string payerActor, decimal amount, string memo, string reference, string requestedBy, CancellationToken ct) =>
            throw new NotSupportedException("the map never bills");
        public PaymentRequest? Find(string reference) => null;

        public string? PayFormPath(string payeeActor, decimal? amount, string? memo)
        {
            Asked.Add((payeeActor, amount, memo));
            return members.Contains(payeeActor)
                ? $"/credit/pay?payee={Uri.EscapeDataString(payeeActor)}&amount={amount?.ToString(System.Globalization.CultureInfo.InvariantCulture)}&memo={Uri.EscapeDataString(memo ?? "")}"
                : null;
        }
    }

    private MapPages Pages(ICreditPayments? payments) => new(_node.Map, _node.Directory, _node.ModuleStore, _node.Subscriptions, _node.Replicas, null, payments);

    private void Listings()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-bike", MapNode.Doc("""{"kind":"need","category":"logistics","title":"Cherche vélo cargo pour livraisons","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("bakfiets", """{"kind":"offer","category":"logistics","title":"Bakfiets te leen","language":"nl","conditions":[{"type":"credit","amount":4.5,"unit":"day","currency":"ZINNE"}]}"""));
        _node.Follow("c.example", "sub-c", SubscriptionState.Accepted,
            ("velo", """{"kind":"offer","category":"logistics","title":"Vélo cargo à prêter","language":"fr","conditions":[{"type":"free"}]}"""));
    }

    private static string? PayOf(MapPages pages, string listing) => pages.Matches(MapNode.Alice).Single(m => m.Match.Listing.Id == listing).PayPath;

    [Fact]
    public void A_credit_priced_offer_links_to_the_pay_form_with_its_node_price_and_title()
    {
        Listings();
        var payments = new GroupPayments("https://b.example/actor");
        var pages = Pages(payments);

        Assert.Equal("/credit/pay?payee=https%3A%2F%2Fb.example%2Factor&amount=4.5&memo=Bakfiets%20te%20leen", PayOf(pages, "bakfiets"));
        Assert.Null(PayOf(pages, "velo")); // free: nothing to pay
        Assert.All(payments.Asked, asked => Assert.Equal(("https://b.example/actor", (decimal?)4.5m, (string?)"Bakfiets te leen"), asked));
    }

    [Fact]
    public void Without_the_port_or_without_a_path_from_it_there_is_no_pay_link()
    {
        Listings();
        Assert.Null(PayOf(Pages(null), "bakfiets"));
        Assert.Null(PayOf(Pages(new GroupPayments("https://c.example/actor")), "bakfiets")); // b is not in our group
    }

    [Fact]
    public void A_need_priced_in_credit_or_a_path_leaving_the_site_gets_no_pay_link()
    {
        Listings();
        _node.Records.Create(MapNode.Admin, "offers", "our-bike", MapNode.Doc("""{"kind":"offer","category":"logistics","title":"Vélo cargo à prêter","language":"fr"}"""));
        _node.Follow("d.example", "sub-d", SubscriptionState.Accepted,
            ("their-need", """{"kind":"need","category":"logistics","title":"Cherche bakfiets","language":"nl","conditions":[{"type":"credit","amount":2,"unit":"day","currency":"ZINNE"}]}"""));
        Assert.Null(PayOf(Pages(new GroupPayments("https://d.example/actor")), "their-need"));
        Assert.Null(PayOf(Pages(new Leaving()), "bakfiets"));
    }

    private sealed class Leaving : ICreditPayments
    {
        public CreditUnit? Unit => null;
        public Task<PaymentRequest> BillAsync(string payerActor, decimal amount, string memo, string reference, string requestedBy, CancellationToken ct) =>
            throw new NotSupportedException();
        public PaymentRequest? Find(string reference) => null;
        public string? PayFormPath(string payeeActor, decimal? amount, string? memo) => "//elsewhere.example/pay";
    }

    [Theory]
    [InlineData("https://b.example/datasets/offers", "https://b.example/actor")]
    [InlineData("https://b.example/commons/datasets/offres", "https://b.example/commons/actor")]
    [InlineData("http://127.0.0.1:5081/datasets/a", "http://127.0.0.1:5081/actor")]
    [InlineData("https://b.example/actors/offers", null)]
    [InlineData("not a uri/datasets/x", null)]
    public void The_offering_node_is_the_actor_beside_its_datasets(string datasetActor, string? nodeActor) =>
        Assert.Equal(nodeActor, MapPages.NodeActorOf(datasetActor));

    [Fact]
    public async Task The_matches_page_shows_pay_when_the_node_registers_the_port_and_not_otherwise()
    {
        Listings();
        var services = new ServiceCollection()
            .AddSingleton(_node.Map).AddSingleton(_node.Directory).AddSingleton<IModuleStore>(_node.ModuleStore)
            .AddSingleton<ISubscriptionStore>(_node.Subscriptions).AddSingleton<IReplicaStore>(_node.Replicas).AddSingleton<MapPages>();
        // Resolved as optional: the node without the credit module builds the same service.
        using (var without = services.BuildServiceProvider())
            Assert.Null(PayOf(without.GetRequiredService<MapPages>(), "bakfiets"));
        using var with = services.AddSingleton<ICreditPayments>(new GroupPayments("https://b.example/actor")).BuildServiceProvider();
        var pages = with.GetRequiredService<MapPages>();
        Assert.NotNull(PayOf(pages, "bakfiets"));

        await using var host = await MapHost.StartAsync(_node, s => s.AddSingleton(pages));
        foreach (var (language, words) in new[] { ("fr", "Payer en crédit mutuel"), ("nl", "Betalen in wederzijds krediet"), ("en", "Pay in mutual credit") })
        {
            using var alice = host.Client("alice", language);
            var response = await alice.GetAsync("/map/matches");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"<a href=\"/credit/pay?payee=https%3A%2F%2Fb.example%2Factor&amp;amount=4.5&amp;memo=Bakfiets%20te%20leen\" id=\"pay-need-bike-bakfiets\">{words}</a>", html);
            Assert.DoesNotContain("id=\"pay-need-bike-velo\"", html);
        }
        await using var plain = await MapHost.StartAsync(_node);
        using var reader = plain.Client("alice", "fr");
        Assert.DoesNotContain("Payer en crédit mutuel", await reader.GetStringAsync("/map/matches"));
    }
}
