using Commons.Node.Auth;
using Commons.Node.Hosting;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Commons.Node.Tests;

/// <summary>
/// What a fresh node does not load until a request needs it (issue 17, resident memory): the JWT handler only for a
/// JWT, the data-protection key ring only on the first protect; and the start's garbage collected and the C heap trimmed once it has settled. Each test fails if the deferral is undone, and checks
/// that the deferred part still works when it is needed.
/// </summary>
public sealed class IdleStartTests
{
    [Theory]
    [InlineData(null, AuthSchemes.AccessToken)]
    [InlineData("Basic YWRtaW46eA==", AuthSchemes.AccessToken)]
    [InlineData("Bearer cnpat_0123456789abcdef_secret", AuthSchemes.AccessToken)]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", AuthSchemes.Jwt)]
    [InlineData("bearer not-a-token", AuthSchemes.Jwt)]
    public void Only_a_bearer_token_that_is_no_access_token_goes_to_the_jwt_handler(string? authorization, string scheme)
    {
        var http = new DefaultHttpContext();
        if (authorization is not null) http.Request.Headers.Authorization = authorization;
        Assert.Equal(scheme, WebHost.ApiScheme(http.Request));
    }

    [Fact]
    public async Task Without_credentials_the_api_still_answers_401_with_a_bearer_challenge_and_a_bad_jwt_is_still_judged_by_the_jwt_handler()
    {
        await using var node = new NodeFactory();
        using var anonymous = node.Client();
        var response = await anonymous.GetAsync("/api/me");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("unauthenticated", (await NodeFactory.ExpectProblem(response, 401))["code"]?.GetValue<string>());

        using var badJwt = node.Client("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
        var refused = await badJwt.GetAsync("/api/me");
        Assert.Contains("invalid_token", Assert.Single(refused.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        await NodeFactory.ExpectProblem(refused, 401);

        // An access token that is not known: refused by the access-token handler, as before (no JWT challenge).
        using var badPat = node.Client("cnpat_0123456789abcdef_nonsense");
        var unknown = await badPat.GetAsync("/api/me");
        Assert.Empty(unknown.Headers.WwwAuthenticate);
        await NodeFactory.ExpectProblem(unknown, 401);
    }

    [Fact]
    public async Task A_started_node_makes_one_full_compacting_collection_once_it_has_settled()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);
        await using var node = new NodeFactory();
        using var anonymous = node.Client();
        await NodeFactory.Expect(await anonymous.GetAsync("/healthz"), 200);
        // The wait bounds a compaction that never runs (the guard removed); it times nothing.
        var after = await node.Service<StartupCompaction>().Collected.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(after > before, $"full collections: {before} before the node, {after} after its compaction");
    }

    [Fact]
    public async Task A_started_node_trims_the_c_librarys_heap_once_the_jit_has_released_its_start_memory()
    {
        await using var node = new NodeFactory();
        using var anonymous = node.Client();
        await NodeFactory.Expect(await anonymous.GetAsync("/healthz"), 200);
        // The wait bounds a trim that never runs (the guard removed); it times nothing.
        var trimmed = await node.Service<StartupCompaction>().NativeHeapTrimmed.WaitAsync(TimeSpan.FromMinutes(1));
        if (OperatingSystem.IsLinux()) Assert.NotNull(trimmed);
        else Assert.Null(trimmed);
    }

    [Fact]
    public async Task A_started_node_has_no_key_ring_until_something_is_protected_and_then_creates_it_in_its_folder()
    {
        await using var node = new NodeFactory();
        using var anonymous = node.Client();
        Assert.True((await anonymous.GetAsync("/healthz")).IsSuccessStatusCode);
        Assert.DoesNotContain(node.Service<IEnumerable<IHostedService>>(), s => s.GetType().FullName == NodeDataProtection.KeyRingWarmUp);
        var keys = NodeDataProtection.KeysPath(node.DataDirectory);
        Assert.Empty(Directory.GetFiles(keys, "key-*.xml"));

        var sealedText = node.Service<IDataProtectionProvider>().CreateProtector("test").Protect("kept");
        Assert.Single(Directory.GetFiles(keys, "key-*.xml"));
        Assert.Equal("kept", node.Service<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
    }
}
