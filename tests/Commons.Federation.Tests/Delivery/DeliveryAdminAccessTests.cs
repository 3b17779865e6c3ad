using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Federation.Delivery;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// <see cref="DeliveryAdmin"/> decides who may see and steer the delivery queue, on the real queue: an administrator
/// whose credential has the admin scope. A member, or an administrator's token without that scope, is refused by every
/// operation, and nothing in the queue changes.
/// </summary>
public sealed class DeliveryAdminAccessTests : IDisposable
{
    private static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
    private static readonly Caller AdminWithoutAdminScope = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write);
    private static readonly Caller Member = new("mia", MemberRole.Member, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    private readonly DeliveryRig _rig = new();
    private readonly DeliveryAdmin _admin;

    public DeliveryAdminAccessTests()
    {
        _admin = new DeliveryAdmin(_rig.Queue, _rig.Processor, _rig.Signal);
        _rig.Queue.Enqueue([Item("alive", dead: false), Item("dead1", dead: true), Item("dead2", dead: true)]);
    }

    public void Dispose() => _rig.Dispose();

    private static DeliveryItem Item(string id, bool dead) => new()
    {
        Id = id, Inbox = "https://gone.invalid/inbox", Sender = DeliveryRig.Sender, ActivityJson = "{}", ActivityType = "Create", Attempts = 3,
        CreatedAt = DeliveryRig.Start, NextAttemptAt = DeliveryRig.Start.AddDays(1), Dead = dead, LastError = "HTTP 403",
    };

    private static readonly (string Name, Action<DeliveryAdmin, Caller> Call)[] Operations =
    [
        ("list", (a, c) => a.List(c, dead: false, 10)),
        ("list dead", (a, c) => a.List(c, dead: true, 10)),
        ("page", (a, c) => a.Page(c, dead: true, 0, 10)),
        ("counts", (a, c) => a.Counts(c)),
        ("find dead", (a, c) => a.FindDead(c, "dead1")),
        ("retry", (a, c) => a.Retry(c, "dead1")),
        ("retry a delivery that does not exist", (a, c) => a.Retry(c, "none")),
        ("retry all dead", (a, c) => a.RetryAllDead(c)),
        ("discard", (a, c) => a.Discard(c, "dead2")),
    ];

    public static TheoryData<string> OperationNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Operations) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void Only_an_administrator_with_the_admin_scope_sees_or_steers_the_queue(string operation)
    {
        var call = Operations.Single(o => o.Name == operation).Call;
        var before = Snapshot();
        foreach (var caller in new[] { Member, AdminWithoutAdminScope })
        {
            var refused = Assert.Throws<ForbiddenException>(() => call(_admin, caller));
            Assert.Equal(ProblemCodes.Forbidden, refused.Code);
        }
        Assert.False(DeliveryAdmin.MayAdminister(AdminWithoutAdminScope));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void An_administrator_retries_and_discards_and_a_delivery_that_is_not_there_is_not_found()
    {
        Assert.True(DeliveryAdmin.MayAdminister(Admin));
        Assert.Equal(new DeliveryCounts(1, 1, 2), _admin.Counts(Admin));
        Assert.Null(_admin.FindDead(Admin, "alive")); // a live delivery is no dead letter
        Assert.Throws<NotFoundException>(() => _admin.Discard(Admin, "alive"));
        Assert.Throws<NotFoundException>(() => _admin.Retry(Admin, "none"));

        _admin.Discard(Admin, "dead2");
        Assert.Throws<NotFoundException>(() => _admin.Discard(Admin, "dead2"));
        Assert.Equal(1, _admin.RetryAllDead(Admin));
        Assert.Empty(_admin.List(Admin, dead: true, 10));
        Assert.Equal(["alive", "dead1"], _admin.List(Admin, dead: false, 10).Select(d => d.Id).Order());
    }

    private string Snapshot() => string.Join("|", _rig.Queue.List(dead: false, 10).Concat(_rig.Queue.List(dead: true, 10))
        .OrderBy(d => d.Id).Select(d => $"{d.Id}:{d.Dead}:{d.Attempts}:{d.NextAttemptAt:O}"));
}
