using Commons.Core.Exchanges;
using Commons.Modules.Employers.Tests.Support;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// <c>employers.hours</c> from member nodes to the group's hours dataset: a member's hours are stored under its own
/// actor URL, whatever the body says; a node outside the group, an unassigned worker, a closed month or hours over
/// the contract are refused with their codes, and nothing is stored.
/// </summary>
public sealed class HoursRequestTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();

    public void Dispose() => _node.Dispose();

    private Task<RequestDecision> Send(string actor, string body) =>
        _node.HoursHandler.DecideAsync(new IncomingRequest(_node.DatasetStore.Find("hours")!, $"https://x.example/requests/{Guid.NewGuid():N}",
            "employers.hours", actor, new Uri(actor).Authority, Doc(body), _node.Clock.GetUtcNow()), CancellationToken.None);

    [Fact]
    public async Task A_members_hours_are_stored_under_its_actor_and_sending_them_again_replaces_them()
    {
        var first = await Send(B, """{"worker":"anne","month":"2026-03","hours":"50","member":"https://a.example/actor"}""");
        Assert.Equal(ExchangeState.Accepted, first.State);
        var id = first.Result!.Value.GetProperty("record").GetString()!;
        var stored = _node.Records.Get(Admin, "hours", id);
        Assert.Equal(B, stored.Data.GetProperty("member").GetString());
        Assert.Equal(B, stored.CreatedBy);

        var again = await Send(B, """{"worker":"anne","month":"2026-03","hours":"52.5"}""");
        Assert.Equal(ExchangeState.Accepted, again.State);
        Assert.Equal(id, again.Result!.Value.GetProperty("record").GetString());
        Assert.Equal("52.5", _node.Records.Get(Admin, "hours", id).Data.GetProperty("hours").GetString());
        Assert.Equal(1, _node.Count("hours"));
    }

    [Fact]
    public async Task Refusals_carry_their_codes_and_store_nothing()
    {
        await Send(C, """{"worker":"bram","month":"2026-02","hours":"70"}""");
        _node.Group.CloseMonth(Admin, "2026-01");
        var stored = _node.Count("hours");

        Assert.Equal("not_a_member", (await Send(Outsider, """{"worker":"anne","month":"2026-03","hours":"5"}""")).Code);
        await AssertRefused("worker_not_assigned", A, """{"worker":"bram","month":"2026-03","hours":"5"}""");
        await AssertRefused("month_closed", B, """{"worker":"anne","month":"2026-01","hours":"5"}""");
        await AssertRefused("hours_over_contract", B, """{"worker":"bram","month":"2026-02","hours":"6.01"}""");
        await AssertRefused("validation_failed", B, """{"worker":"anne","month":"March","hours":"5"}""");
        Assert.Equal(stored, _node.Count("hours"));
    }

    /// <summary>A rule's refusal is a thrown CommonsException; the platform turns it into a refusal with its code.</summary>
    private async Task AssertRefused(string code, string actor, string body)
    {
        try
        {
            var decision = await Send(actor, body);
            Assert.Equal(code, decision.Code);
        }
        catch (Core.Errors.CommonsException e) { Assert.Equal(code, e.Code); }
    }
}
