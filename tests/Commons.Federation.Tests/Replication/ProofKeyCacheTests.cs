using Commons.Federation.Actors;
using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// <see cref="Commons.Federation.Replication.ProofVerifier"/> keeps the keys it read from a fetched actor document. They
/// must go with that document: once the actor is fetched again, a key it no longer publishes verifies nothing, and a
/// key it now publishes is found.
/// </summary>
public sealed class ProofKeyCacheTests : IDisposable
{
    private readonly ReplicationRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_key_the_refetched_actor_no_longer_publishes_verifies_nothing_though_it_verified_before()
    {
        var dataset = _rig.Dataset("offers");
        var (record, change) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r1", ReplicationRig.Data("""{"name":"Drill"}"""));
        var signedByFirstKey = ReplicationRig.Element(_rig.Signed(dataset, change, record)!);
        Assert.True((await _rig.Verifier.VerifyAsync(signedByFirstKey, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);

        // Rotated and past the grace period: the actor now publishes the second key only.
        _rig.Keys.Rotate("offers");
        _rig.Clock.Advance(ActorKeyring.GracePeriod + TimeSpan.FromHours(2));
        _rig.ServeActor(dataset);

        var stale = await _rig.Verifier.VerifyAsync(signedByFirstKey, _rig.ActorOf("offers"), CancellationToken.None);
        Assert.Equal(ProofVerificationFailure.UnknownKey, stale.Failure);

        var (fresh, freshChange) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r2", ReplicationRig.Data("""{"name":"Saw"}"""));
        var signedBySecondKey = ReplicationRig.Element(_rig.Signed(dataset, freshChange, fresh)!);
        Assert.True((await _rig.Verifier.VerifyAsync(signedBySecondKey, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task A_key_missing_from_the_cached_document_is_found_after_a_refresh_within_its_time_to_live()
    {
        var dataset = _rig.Dataset("offers");
        var (record, change) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r1", ReplicationRig.Data("""{"name":"Drill"}"""));
        Assert.True((await _rig.Verifier.VerifyAsync(ReplicationRig.Element(_rig.Signed(dataset, change, record)!), _rig.ActorOf("offers"), CancellationToken.None)).IsValid);

        _rig.Keys.Rotate("offers");
        _rig.ServeActor(dataset);
        _rig.Clock.Advance(TimeSpan.FromMinutes(1)); // past the refresh interval, within the cache's time to live
        var (fresh, freshChange) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r2", ReplicationRig.Data("""{"name":"Saw"}"""));
        var signedBySecondKey = ReplicationRig.Element(_rig.Signed(dataset, freshChange, fresh)!);

        // The cached document lacks key 2 (remembered as unknown); the refetched one has it.
        Assert.True((await _rig.Verifier.VerifyAsync(signedBySecondKey, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);
    }
}
