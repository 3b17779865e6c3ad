using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Tests.Http;
using Commons.Federation.Tests.Support;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Inbox;

/// <summary>
/// The inbox as the node wires it (real LiteDB stores, the signed client fetching the sender's actor from a WireMock
/// peer): a block added at runtime refuses the sender's very next signed activity, and lifting it lets the next one in.
/// </summary>
public sealed class InboxDomainRuleTests : IDisposable
{
    private static readonly Caller Admin = new("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-inbox-rules-{Guid.NewGuid():N}");
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly CommonsDatabase _database;
    private readonly SignedHttpClient _http;
    private readonly DomainRuleService _rules;
    private readonly InboxReceiver _inbox;
    private int _sent;

    public InboxDomainRuleTests()
    {
        _database = CommonsDatabase.Open(_directory);
        var options = HttpTest.Options();
        var store = new LiteDomainRuleStore(_database);
        var provider = new DomainPolicyProvider(options, store);
        _rules = new DomainRuleService(store, provider, TimeProvider.System);
        _http = new SignedHttpClient(options, null, HttpTest.LoopbackAsPublic, new FakeResolver().Map(HttpTest.PeerHost, System.Net.IPAddress.Loopback).Resolve, provider);
        var fetcher = new RemoteActorFetcher(_http, HttpTest.Signer, new PublicKeyCache());
        _inbox = new InboxReceiver(fetcher, new LiteInboxStore(_database), provider, new WorkSignal(), TimeProvider.System, NullLogger<InboxReceiver>.Instance);

        _peer.Given(Request.Create().WithPath("/users/alice").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/activity+json").WithBody(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                ["id"] = Alice,
                ["type"] = "Person",
                ["inbox"] = Alice + "/inbox",
                ["publicKey"] = new JsonObject { ["id"] = Alice + "#main-key", ["owner"] = Alice, ["publicKeyPem"] = HttpTest.RsaPublicKeyPem },
            }.ToJsonString()));
    }

    private string Alice => _peer.PeerUrl("/users/alice");

    public void Dispose()
    {
        _http.Dispose();
        _peer.Stop();
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A Follow from Alice, signed with her key as her server would sign it, received by the inbox.</summary>
    private async Task<InboxVerdict> ReceiveFollowAsync()
    {
        var body = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{Alice}#follows/{Interlocked.Increment(ref _sent)}",
            ["type"] = "Follow",
            ["actor"] = Alice,
            ["object"] = "https://node.test/datasets/offers",
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://node.test/inbox") { Content = new StringContent(body, Encoding.UTF8, "application/activity+json") };
        await HttpSignatureSigner.SignRequestAsync(request, SignedRequests.RsaKey, Alice + "#main-key", HttpSignatureScheme.Rfc9421, DateTimeOffset.UtcNow);
        using var json = JsonDocument.Parse(body);
        var result = await _inbox.ReceiveAsync(HttpRequestMessageAdapter.ToSignable(request), json.RootElement, CancellationToken.None);
        return result.Verdict;
    }

    [Fact]
    public async Task A_runtime_block_refuses_the_next_signed_activity_and_lifting_it_lets_the_next_in()
    {
        Assert.Equal(InboxVerdict.Accepted, await ReceiveFollowAsync());

        _rules.Add(Admin, DomainList.Blocked, HttpTest.PeerHost);
        Assert.Equal(InboxVerdict.Forbidden, await ReceiveFollowAsync());

        _rules.Remove(Admin, DomainList.Blocked, HttpTest.PeerHost);
        Assert.Equal(InboxVerdict.Accepted, await ReceiveFollowAsync());
    }

    [Fact]
    public async Task Switching_to_allow_list_only_refuses_senders_not_on_the_list()
    {
        Assert.Equal(InboxVerdict.Accepted, await ReceiveFollowAsync());

        _rules.SetMode(Admin, FederationMode.AllowList);
        Assert.Equal(InboxVerdict.Forbidden, await ReceiveFollowAsync());

        _rules.Add(Admin, DomainList.Allowed, "*." + HttpTest.PeerHost);
        Assert.Equal(InboxVerdict.Accepted, await ReceiveFollowAsync());
    }
}
