using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Federation.Http;
using Commons.Storage;

namespace Commons.Federation.Tests.Http;

/// <summary>
/// Runtime domain rules on a real LiteDB store: checked as the policy reads them, merged with the configuration (which
/// cannot be removed), persisted, and applied to the next decision without a restart.
/// </summary>
public sealed class DomainRuleServiceTests : IDisposable
{
    private static readonly Caller Admin = new("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
    private static readonly Caller Member = new("someone", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-domain-rules-{Guid.NewGuid():N}");
    private readonly FederationOptions _options = HttpTest.Options(o => o.BlockedDomains = ["configured.example"]);
    private CommonsDatabase _database;
    private DomainPolicyProvider _provider;
    private DomainRuleService _service;

    public DomainRuleServiceTests()
    {
        _database = CommonsDatabase.Open(_directory);
        (_provider, _service) = Wire();
    }

    private (DomainPolicyProvider, DomainRuleService) Wire()
    {
        var store = new LiteDomainRuleStore(_database);
        var provider = new DomainPolicyProvider(_options, store);
        return (provider, new DomainRuleService(store, provider, TimeProvider.System));
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_block_added_at_runtime_applies_at_once_and_survives_a_restart()
    {
        var before = _provider.Current;
        Assert.True(before.IsAllowed("x.bücher.example"));

        Assert.Equal("xn--bcher-kva.example", _service.Add(Admin, DomainList.Blocked, " *.Bücher.Example "));

        Assert.False(_provider.Current.IsAllowed("x.bücher.example"));
        Assert.False(_provider.Current.IsAllowed("xn--bcher-kva.example:443"));
        Assert.True(before.IsAllowed("x.bücher.example")); // snapshots are immutable: the provider swapped a new one in
        var entry = Assert.Single(_service.Rules(Admin).Blocked, e => e.Source == DomainRuleSource.Runtime);
        Assert.Equal("bücher.example", entry.Display);

        _database.Dispose();
        _database = CommonsDatabase.Open(_directory);
        (_provider, _service) = Wire();
        Assert.False(_provider.Current.IsAllowed("x.bücher.example"));
        Assert.False(_provider.Current.IsAllowed("configured.example"));
    }

    [Theory]
    [InlineData("", DomainEntryProblem.Empty)]
    [InlineData("   ", DomainEntryProblem.Empty)]
    [InlineData("not a domain", DomainEntryProblem.NotADomain)]
    [InlineData("bad.example:port", DomainEntryProblem.NotADomain)]
    [InlineData("https://bad.example/", DomainEntryProblem.NotADomain)]
    [InlineData("[::1", DomainEntryProblem.NotADomain)]
    [InlineData("Configured.Example.", DomainEntryProblem.AlreadyListed)]
    public void Bad_entries_are_refused_and_nothing_is_stored(string entry, DomainEntryProblem problem)
    {
        Assert.Equal(problem, DomainRuleService.Check(entry, DomainList.Blocked, _service.Rules(Admin), out _));
        var e = Assert.Throws<ValidationException>(() => _service.Add(Admin, DomainList.Blocked, entry));
        Assert.Equal("domain", Assert.Single(e.Errors).Path);
        Assert.Equal(DomainRuleSettings.Empty.Blocked, new LiteDomainRuleStore(_database).Get().Blocked);
    }

    [Fact]
    public void Configured_entries_cannot_be_removed_runtime_ones_can()
    {
        _service.Add(Admin, DomainList.Blocked, "198.51.100.7");
        Assert.False(_provider.Current.IsAllowed("198.51.100.7:80"));

        Assert.Throws<ConflictException>(() => _service.Remove(Admin, DomainList.Blocked, "configured.example"));
        Assert.Throws<NotFoundException>(() => _service.Remove(Admin, DomainList.Blocked, "never.example"));
        _service.Remove(Admin, DomainList.Blocked, "198.51.100.7");

        Assert.True(_provider.Current.IsAllowed("198.51.100.7"));
        Assert.False(_provider.Current.IsAllowed("configured.example"));
        Assert.Empty(new LiteDomainRuleStore(_database).Get().Blocked);
    }

    [Fact]
    public void The_mode_set_at_runtime_replaces_the_configured_one_until_reset()
    {
        _service.Add(Admin, DomainList.Allowed, "friends.example");
        Assert.True(_provider.Current.IsAllowed("stranger.example")); // open, as configured

        _service.SetMode(Admin, FederationMode.AllowList);
        Assert.Equal((FederationMode.AllowList, DomainRuleSource.Runtime), (_service.Rules(Admin).Mode, _service.Rules(Admin).ModeSource));
        Assert.False(_provider.Current.IsAllowed("stranger.example"));
        Assert.True(_provider.Current.IsAllowed("social.friends.example"));

        _service.SetMode(Admin, null);
        Assert.Equal((FederationMode.Open, DomainRuleSource.Configuration), (_service.Rules(Admin).Mode, _service.Rules(Admin).ModeSource));
        Assert.True(_provider.Current.IsAllowed("stranger.example"));
    }

    [Fact]
    public void Replacing_reports_every_bad_entry_and_stores_nothing_then()
    {
        _service.Add(Admin, DomainList.Blocked, "kept.example");
        var e = Assert.Throws<ValidationException>(() => _service.Replace(Admin, FederationMode.AllowList, ["ok.example", "not a domain"], ["", "friends.example"]));
        Assert.Equal(["blockedDomains[1]", "allowedDomains[0]"], e.Errors.Select(x => x.Path));
        Assert.Equal(["kept.example"], new LiteDomainRuleStore(_database).Get().Blocked);
        Assert.Equal(FederationMode.Open, _provider.Current.Mode);

        _service.Replace(Admin, FederationMode.AllowList, ["*.ok.example", "OK.example", "configured.example"], ["friends.example"]);
        var stored = new LiteDomainRuleStore(_database).Get();
        Assert.Equal(["ok.example"], stored.Blocked); // duplicates collapse; configured entries are not stored twice
        Assert.Equal(["friends.example"], stored.Allowed);
        Assert.True(stored.AllowListOnly);
        Assert.Equal("root", stored.UpdatedBy);
        Assert.DoesNotContain(_service.Rules(Admin).Blocked, x => x.Domain == "kept.example"); // replaced, not merged
        Assert.True(_provider.Current.IsAllowed("friends.example"));
    }

    [Fact]
    public void Only_administrators_see_or_change_the_rules()
    {
        Assert.Throws<ForbiddenException>(() => _service.Rules(Member));
        Assert.Throws<ForbiddenException>(() => _service.Add(Member, DomainList.Blocked, "x.example"));
        Assert.Throws<ForbiddenException>(() => _service.Remove(Member, DomainList.Blocked, "configured.example"));
        Assert.Throws<ForbiddenException>(() => _service.SetMode(Member, FederationMode.AllowList));
        Assert.Throws<ForbiddenException>(() => _service.Replace(Member, null, [], []));
        Assert.Empty(new LiteDomainRuleStore(_database).Get().Blocked);
    }

    [Fact]
    public async Task The_signed_client_refuses_a_domain_blocked_at_runtime_before_any_lookup()
    {
        var resolver = new FakeResolver();
        using var client = new SignedHttpClient(_options, null, HttpTest.LoopbackAsPublic, resolver.Resolve, _provider);

        // Not blocked yet: the client goes as far as the name lookup (which fails here: no such name).
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://later.example/actor"), HttpTest.Signer));
        Assert.Single(resolver.Lookups);

        _service.Add(Admin, DomainList.Blocked, "later.example");

        var e = await Assert.ThrowsAsync<DomainBlockedException>(() => client.GetAsync(new Uri("http://later.example/actor"), HttpTest.Signer));
        Assert.Equal("later.example", e.Host);
        Assert.Single(resolver.Lookups);
        Assert.Same(_provider.Current, client.DomainPolicy);
    }
}
