using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Support;

namespace Commons.Federation.Tests.Signatures;

public sealed class PublicKeyCacheTests
{
    private static readonly string Pem = TestVectors.ReadText("cavage12", "test-key-public.pem");

    [Fact]
    public void Same_pem_is_imported_once()
    {
        var cache = new PublicKeyCache();

        var first = cache.GetOrImportPem(Pem);
        var second = cache.GetOrImportPem(Pem);

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Key_id_lookups_do_not_reimport()
    {
        var cache = new PublicKeyCache();
        var imports = 0;
        VerificationKey Import(string _)
        {
            imports++;
            return PemKeyImporter.ImportVerificationKey(Pem);
        }

        cache.GetOrAdd("https://a.example/actor#main-key", Import);
        cache.GetOrAdd("https://a.example/actor#main-key", Import);

        Assert.Equal(1, imports);
        Assert.True(cache.TryGet("https://a.example/actor#main-key", out var key));
        Assert.NotNull(key);
    }

    [Fact]
    public void Least_recently_used_entry_is_evicted_at_capacity()
    {
        var cache = new PublicKeyCache(capacity: 2);
        var key = PemKeyImporter.ImportVerificationKey(Pem);

        cache.GetOrAdd("a", _ => key);
        cache.GetOrAdd("b", _ => key);
        cache.TryGet("a", out _);
        cache.GetOrAdd("c", _ => key);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void Invalidate_forgets_a_rotated_key()
    {
        var cache = new PublicKeyCache();
        cache.GetOrImportPem("k", Pem);

        cache.Invalidate("k");

        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void Concurrent_use_stays_bounded_and_consistent()
    {
        var cache = new PublicKeyCache(capacity: 16);
        var key = PemKeyImporter.ImportVerificationKey(Pem);

        Parallel.For(0, 2000, i =>
        {
            var got = cache.GetOrAdd("k" + (i % 40), _ => key);
            Assert.Same(key, got);
        });

        Assert.Equal(16, cache.Count);
    }
}
